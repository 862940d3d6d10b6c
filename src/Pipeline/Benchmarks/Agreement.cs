namespace LabelFree.Pipeline.Benchmarks;

/// <summary>Pearson r between two predictions of the same stack (e.g. bf16 vs fp32, tiled vs one pass).</summary>
public sealed record Agreement(string Name, double R);
