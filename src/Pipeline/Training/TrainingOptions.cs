using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Optimisation settings. Defaults are the paper's (METHOD.md §4; pytorch_fnet release_1 scripts):
/// Adam with learning rate 0.001 and betas (0.5, 0.999), MSE loss, 50,000 iterations, batch 24 of
/// 32x64x64 patches for 3D (batch 32 of 256x256 for 2D), a checkpoint every 500 iterations.
/// </summary>
public sealed record TrainingOptions
{
    public static readonly VolumeShape PaperPatch3D = new(32, 64, 64);
    public static readonly VolumeShape PaperPatch2D = new(1, 256, 256);

    /// <summary>2 for a 2D network (patches with Z = 1), 3 for a 3D network.</summary>
    public int Dimensions { get; init; } = 3;

    public VolumeShape Patch { get; init; } = PaperPatch3D;

    public int BatchSize { get; init; } = 24;

    public int Iterations { get; init; } = 50_000;

    public double LearningRate { get; init; } = 0.001;

    public double Beta1 { get; init; } = 0.5;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>Iterations between checkpoints (and validation-loss measurements).</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Batches of held-out patches averaged for one validation loss (the reference uses 4).</summary>
    public int ValidationBatches { get; init; } = 4;

    /// <summary>Images held in memory by the patch sampler (the paper used 30 and never switched).</summary>
    public int BufferSize { get; init; } = 30;

    /// <summary>Patches between buffer switches; 0 never switches.</summary>
    public int BufferSwitchEvery { get; init; }

    /// <summary>Seed of weight initialisation and patch positions.</summary>
    public int Seed { get; init; }

    /// <summary>CPU threads for libtorch.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Random patch transforms; the paper used none.</summary>
    public Augmentation Augmentation { get; init; } = Augmentation.None;

    /// <summary>The paper's mean squared error, or mean absolute error.</summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.MeanSquaredError;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Share of each training image (a strip at the high-X end) held out of training to measure the validation
    /// loss at every checkpoint; 0 (the paper's) validates on patches of the test pairs instead, for the record
    /// only. Must be positive for any selection but <see cref="CheckpointSelection.Last"/>: the test pairs never
    /// choose the model.
    /// </summary>
    public double ValidationShare { get; init; }

    public CheckpointSelection Selection { get; init; } = CheckpointSelection.Last;

    /// <summary>
    /// Unaugmented training patches the batch-norm statistics are recomputed from at every checkpoint, for the
    /// weights of that checkpoint (<see cref="BatchNormStatistics"/>); 0 keeps the paper's running averages.
    /// </summary>
    public int BatchNormPatches { get; init; }

    /// <summary>
    /// Decay of the moving average of the weights that is measured, kept and delivered instead of the last
    /// step's (<see cref="AveragedWeights"/>; 0.99 averages about the last 100 steps); 0, the paper's, averages
    /// nothing. Needs <see cref="BatchNormPatches"/>: batch-norm statistics must be computed for the averaged weights.
    /// </summary>
    public double WeightAverageDecay { get; init; }

    /// <summary>
    /// Compute budget: training stops cleanly, with a checkpoint and a bundle, once the process has used this
    /// much CPU time per thread (<see cref="Threads"/>), i.e. this much time of a machine with that many idle
    /// cores. CPU time, not wall time, so a busy machine does not cut the training short. Null: no budget,
    /// <see cref="Iterations"/> alone ends the run.
    /// </summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>
    /// Compute times (same measure as <see cref="Budget"/>) at which the weights the run would deliver if it
    /// ended there (last, or the best by validation so far) are saved in the run folder's snapshots/, so the
    /// accuracy reached at each time can be measured afterwards.
    /// </summary>
    public IReadOnlyList<TimeSpan> Snapshots { get; init; } = [];

    public static TrainingOptions PaperDefaults(int dimensions) => dimensions == 2
        ? new TrainingOptions { Dimensions = 2, Patch = PaperPatch2D, BatchSize = 32 }
        : new TrainingOptions();

    public void Validate()
    {
        if (Dimensions is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Dimensions), $"Dimensions must be 2 or 3, got {Dimensions}.");
        }

        if (Dimensions == 2 && Patch.Z != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patch), $"A 2D model trains on patches with Z = 1, got {Patch}.");
        }

        var spatial = Dimensions == 2 ? new[] { Patch.Y, Patch.X } : new[] { Patch.Z, Patch.Y, Patch.X };
        if (spatial.Any(s => s <= 0 || s % 16 != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Patch), $"Patch dimensions must be positive multiples of 16 (four 2x down-samplings), got {Patch}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CheckpointEvery);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BufferSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threads);
        if (!(LearningRate > 0) || !(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), "The learning rate must be positive and the betas in [0, 1).");
        }

        Augmentation.Validate();
        if (Dimensions == 2 && Augmentation.DepthFlips)
        {
            throw new ArgumentOutOfRangeException(nameof(Augmentation), "Depth flips need a 3D model: a 2D patch has one plane.");
        }

        if (!(ValidationShare is >= 0 and < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationShare), $"The validation share must be in [0, 0.5), got {ValidationShare}.");
        }

        if (!Enum.IsDefined(Selection))
        {
            throw new ArgumentOutOfRangeException(nameof(Selection), Selection, "Unknown checkpoint selection.");
        }

        if (Selection != CheckpointSelection.Last && ValidationShare == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Selection),
                "Choosing the checkpoint by validation needs a validation share of the training images (the test pairs must not choose the model).");
        }

        if (Budget is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Budget), $"The compute budget must be positive, got {budget}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(BatchNormPatches);
        if (!(WeightAverageDecay is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay), $"The weight-averaging decay must be in [0, 1), got {WeightAverageDecay}.");
        }

        if (WeightAverageDecay > 0 && BatchNormPatches == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay),
                "Averaged weights need batch-norm statistics recomputed for them (batch-norm patches > 0): the running averages belong to the weights of the last steps.");
        }

        if (Snapshots.Any(t => t <= TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(Snapshots), "Snapshot times must be positive.");
        }
    }
}
