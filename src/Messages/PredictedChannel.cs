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
}
