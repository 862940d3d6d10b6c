using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Simulation;

namespace LabelFree.Worker.Demo;

/// <summary>
/// The sizes of one `labelfree demo` run: what is simulated for training and for the batch, and how the two
/// structure models are trained. <see cref="Standard"/> is sized to finish in about five minutes on two cores with
/// models good enough to show a clearly positive Pearson r; <see cref="Quick"/> runs the same steps at toy sizes.
/// </summary>
public sealed record DemoPlan
{
    /// <summary>The structures a model is trained for, in output channel order.</summary>
    public static readonly IReadOnlyList<string> Structures = [CellStructure.Dna, CellStructure.Membrane];

    /// <summary>Voxels of every simulated stack (training fields and the batch).</summary>
    public required VolumeShape StackShape { get; init; }

    /// <summary>Simulated fields each model trains on (every field carries both structures).</summary>
    public required int TrainingFields { get; init; }

    /// <summary>Transmitted-light stacks of the batch that carry ground-truth channels, so the worker reports Pearson r.</summary>
    public required int QualityControlStacks { get; init; }

    /// <summary>Time points of the batch's one time series (no ground truth is named for it).</summary>
    public required int TimeSeriesFrames { get; init; }

    public required FnetArchitecture Architecture { get; init; }

    public required VolumeShape Patch { get; init; }

    public required int BatchSize { get; init; }

    public required int Iterations { get; init; }

    /// <summary>Seed of the training fields; the batch is simulated from other seeds, so it is unseen data.</summary>
    public required long Seed { get; init; }

    /// <summary>How long to wait for the worker's completion events once the batch is submitted.</summary>
    public required TimeSpan CompletionTimeout { get; init; }

    /// <summary>
    /// Measured on the 2-core development machine: one iteration at batch 8 of 16x32x32 patches (depth 3,
    /// mult_chan 8) takes about half a second, so 200 iterations per model keep both models near 3.5 minutes;
    /// on held-out simulated stacks they reach r around 0.7-0.8 (validation loss levels off after ~200).
    /// </summary>
    public static DemoPlan Standard(long seed, int? iterations) => new()
    {
        StackShape = new VolumeShape(32, 64, 64),
        TrainingFields = 6,
        QualityControlStacks = 3,
        TimeSeriesFrames = 3,
        Architecture = FnetArchitecture.Paper3D with { Depth = 3, MultChan = 8 },
        Patch = new VolumeShape(16, 32, 32),
        BatchSize = 8,
        Iterations = iterations ?? 200,
        Seed = seed,
        CompletionTimeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>Toy sizes for tests: real training and a real worker, but the models are not meant to be good.</summary>
    public static DemoPlan Quick(long seed, int? iterations) => new()
    {
        StackShape = new VolumeShape(16, 32, 32),
        TrainingFields = 2,
        QualityControlStacks = 2,
        TimeSeriesFrames = 3,
        Architecture = FnetArchitecture.Paper3D with { Depth = 2, MultChan = 4 },
        Patch = new VolumeShape(16, 32, 32),
        BatchSize = 2,
        Iterations = iterations ?? 6,
        Seed = seed,
        CompletionTimeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A scene of <see cref="StackShape"/> with both structures, starting at <paramref name="seed"/>.</summary>
    public TransmittedLightScene Scene(long seed, int frames = 1) => new()
    {
        Shape = StackShape,
        Seed = seed,
        Frames = frames,
        Structures = Structures,
    };
}
