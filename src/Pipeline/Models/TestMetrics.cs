namespace LabelFree.Pipeline.Models;

/// <summary>
/// How well a model predicted its held-out test images: Pearson r per image and its distribution;
/// C_max (the noise-limited ceiling on r) when control images were given.
/// </summary>
public sealed record TestMetrics
{
    public IReadOnlyList<ImageScore> PerImage { get; init; } = [];

    public double? PearsonMedian { get; init; }

    public double? PearsonLowerQuartile { get; init; }

    public double? PearsonUpperQuartile { get; init; }

    /// <summary>Mean C_max over the test images; null without control images.</summary>
    public double? CMaxMean { get; init; }
}
