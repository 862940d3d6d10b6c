namespace LabelFree.Pipeline.Models;

/// <summary>A bioimage.io-style description of one model input or output tensor.</summary>
/// <param name="Id">Tensor name, e.g. "brightfield" or "dna".</param>
/// <param name="Axes">Axis letters in order: "bczyx" for 3D, "bcyx" for 2D.</param>
/// <param name="Preprocessing">Steps applied before the network, by bioimage.io id.</param>
public sealed record TensorDescription(string Id, string Axes, IReadOnlyList<ProcessingStep> Preprocessing);

/// <summary>One pre-processing step by its bioimage.io id, e.g. zero_mean_unit_variance over "zyx", per sample.</summary>
public sealed record ProcessingStep(string Id, string Axes, string Mode);
