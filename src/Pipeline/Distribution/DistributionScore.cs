namespace LabelFree.Pipeline.Distribution;

/// <summary>How far one input lies from a model's training inputs (<see cref="InputDistribution.Score"/>), and whether that is too far.</summary>
/// <param name="Score">The median over the input's patches of the root-mean-square z of their features: near 1 for inputs like the training ones.</param>
/// <param name="Threshold">The model's threshold the score was compared with.</param>
public sealed record DistributionScore(double Score, double Threshold)
{
    public bool OutOfDistribution => Score > Threshold;
}
