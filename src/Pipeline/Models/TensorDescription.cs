using System.Text.Json.Serialization;

namespace LabelFree.Pipeline.Models;

/// <summary>A bioimage.io-style description of one model input or output tensor.</summary>
/// <param name="Id">Tensor name, e.g. "brightfield" or "dna".</param>
/// <param name="Axes">Axis letters in order: "bczyx" for 3D, "bcyx" for 2D.</param>
public sealed record TensorDescription(string Id, string Axes)
{
    /// <summary>Inputs: steps applied before the network, by bioimage.io id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProcessingStep>? Preprocessing { get; init; }

    /// <summary>Outputs: steps applied after the network (none for fnet: outputs stay in z-score units).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProcessingStep>? Postprocessing { get; init; }
}

/// <summary>One processing step by its bioimage.io id, e.g. zero_mean_unit_variance over "zyx", per sample.</summary>
public sealed record ProcessingStep(string Id, string Axes, string Mode);
