namespace LabelFree.Messages;

/// <summary>One channel of a prediction output: which structure it shows and which model made it.</summary>
public sealed record PredictedChannel
{
    /// <summary>Zero-based channel index in the output OME-TIFF.</summary>
    public required int Index { get; init; }

    /// <summary>The structure predicted in this channel, e.g. "dna".</summary>
    public required string Structure { get; init; }

    /// <summary>The model bundle's identifier, e.g. "dna/2024-05-01".</summary>
    public required string ModelId { get; init; }

    /// <summary>SHA-256 of the model weights file (lowercase hex), so a result can be traced to exact weights.</summary>
    public required string WeightsSha256 { get; init; }

    /// <summary>Pearson correlation with the ground-truth channel, when the message named one; otherwise null.</summary>
    public double? PearsonR { get; init; }

    /// <summary>
    /// How far the stack's transmitted-light input lies from the inputs the model was trained on: near 1 for inputs
    /// like them, larger the more they differ (its least typical time point). Null when the model's bundle does not
    /// describe its training inputs.
    /// </summary>
    public double? DistributionScore { get; init; }

    /// <summary>
    /// True when <see cref="DistributionScore"/> exceeds the model's threshold: the input is unlike the training
    /// inputs and the prediction deserves less trust. Null when there is no score.
    /// </summary>
    public bool? OutOfDistribution { get; init; }
}
