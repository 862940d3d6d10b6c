namespace LabelFree.Pipeline.Models;

/// <summary>How a model was trained. Every field is optional: an imported model may only know its iteration count.</summary>
public sealed record TrainingSummary
{
    /// <summary>Patch size in voxels, ZYX (YX for 2D), e.g. [32, 64, 64].</summary>
    public IReadOnlyList<int>? PatchSize { get; init; }

    public int? BatchSize { get; init; }

    /// <summary>Iterations run (with a compute budget, where the budget ended the run).</summary>
    public long? Iterations { get; init; }

    /// <summary>Compute time the run used (CPU time per training thread), in minutes.</summary>
    public double? ComputeMinutes { get; init; }

    /// <summary>The compute budget the run had, in minutes; null when only the iteration count ended it.</summary>
    public double? BudgetMinutes { get; init; }

    /// <summary>Random patch transforms used, e.g. "none" (the paper) or "plane-symmetries+intensity-jitter(...)".</summary>
    public string? Augmentation { get; init; }

    /// <summary>MeanSquaredError (the paper) or MeanAbsoluteError.</summary>
    public string? Loss { get; init; }

    /// <summary>Constant (the paper) or Cosine.</summary>
    public string? LearningRateSchedule { get; init; }

    /// <summary>Share of each training image held out as a validation strip (0: none).</summary>
    public double? ValidationShare { get; init; }

    /// <summary>Training patches the batch-norm statistics were recomputed from at every checkpoint (0: the paper's running averages).</summary>
    public int? BatchNormPatches { get; init; }

    /// <summary>Decay of the moving average of the weights that became the model (0: the weights of one step, as the paper).</summary>
    public double? WeightAverageDecay { get; init; }

    /// <summary>Which weights became the model: Last (the paper), LowestValidationLoss or HighestValidationCorrelation.</summary>
    public string? Selection { get; init; }

    /// <summary>The iteration the bundle's weights come from.</summary>
    public int? SelectedIteration { get; init; }

    /// <summary>The validation loss of those weights, when they were chosen by validation.</summary>
    public double? SelectedValidationLoss { get; init; }

    /// <summary>The validation Pearson r of those weights, when they were chosen by validation.</summary>
    public double? SelectedValidationR { get; init; }

    public int? TrainImages { get; init; }

    public int? TestImages { get; init; }

    /// <summary>Seed of the train/test split.</summary>
    public int? SplitSeed { get; init; }

    /// <summary>File name of the CSV that listed the image pairs.</summary>
    public string? SourceCsv { get; init; }
}
