namespace LabelFree.Pipeline.Models;

/// <summary>How a model was trained. Every field is optional: an imported model may only know its iteration count.</summary>
public sealed record TrainingSummary
{
    /// <summary>Patch size in voxels, ZYX (YX for 2D), e.g. [32, 64, 64].</summary>
    public IReadOnlyList<int>? PatchSize { get; init; }

    public int? BatchSize { get; init; }

    public long? Iterations { get; init; }

    public int? TrainImages { get; init; }

    public int? TestImages { get; init; }

    /// <summary>Seed of the train/test split.</summary>
    public int? SplitSeed { get; init; }

    /// <summary>File name of the CSV that listed the image pairs.</summary>
    public string? SourceCsv { get; init; }
}
