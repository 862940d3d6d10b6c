namespace LabelFree.Pipeline.Models;

/// <summary>A weight or buffer of a network that holds NaN or infinite values.</summary>
/// <param name="Name">Its state-dict key, e.g. "conv_out.weight".</param>
/// <param name="NonFinite">How many of its values are NaN or infinite.</param>
/// <param name="Total">How many values it has.</param>
internal sealed record NonFiniteTensor(string Name, long NonFinite, long Total);
