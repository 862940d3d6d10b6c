using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>What <see cref="ModelBenchmark"/> measures. The defaults are the issue's: the paper's 3D network on a 48x240x368 stack, training at batch 24 and 4 of 32x64x64.</summary>
public sealed record ModelBenchmarkOptions
{
    /// <summary>The stack the targets are stated for.</summary>
    public static VolumeShape PaperStack { get; } = new(48, 240, 368);

    /// <summary>
    /// A smoke test that finishes in about a minute: a small stack cut into two tiles, the smaller
    /// GEMM only, and no paper-batch training step (about 25 s a step on 2 cores).
    /// </summary>
    public static ModelBenchmarkOptions Quick { get; } = new()
    {
        Stack = new VolumeShape(32, 96, 160),
        Tiling = new PredictionOptions { TileShape = new VolumeShape(32, 96, 96), MaxVoxelsPerPass = 32 * 96 * 96, Overlap = 16 },
        GemmSizes = [2048],
        TrainingCases = [new TrainingCase(BatchSize: 4, WarmUpSteps: 1, TimedSteps: 1)],
    };

    public FnetArchitecture Architecture { get; init; } = FnetArchitecture.Paper3D;

    /// <summary>Precisions of the GEMM reference and the prediction cases (bf16 is pointless on a CPU without bf16 instructions).</summary>
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Float32, Precision.BFloat16];

    public VolumeShape Stack { get; init; } = PaperStack;

    /// <summary>Tile shape, overlap and voxel budget of the tiled cases (precision and threads are set per case).</summary>
    public PredictionOptions Tiling { get; init; } = new();

    /// <summary>Timed runs per prediction case; the best counts (the first also pays for allocator growth and kernel set-up).</summary>
    public int PredictionRuns { get; init; } = 2;

    /// <summary>Square matrix sizes timed for the GEMM reference; the fastest rate per precision is the reference.</summary>
    public IReadOnlyList<int> GemmSizes { get; init; } = [2048, 4096];

    public int GemmWarmUpRuns { get; init; } = 2;

    public int GemmTimedRuns { get; init; } = 5;

    public IReadOnlyList<TrainingCase> TrainingCases { get; init; } =
    [
        new TrainingCase(BatchSize: 24, WarmUpSteps: 1, TimedSteps: 1),
        new TrainingCase(BatchSize: 4, WarmUpSteps: 1, TimedSteps: 2),
    ];

    public VolumeShape TrainingPatch { get; init; } = TrainingOptions.PaperPatch3D;

    /// <summary>libtorch intra-op threads for everything measured.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the weights, the stack and the training patches.</summary>
    public long Seed { get; init; } = 1;

    public TimeSpan MemorySamplingInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Architecture);
        Architecture.Validate();
        Tiling.Validate();
        if (Architecture.Dimensions != 3)
        {
            throw new ArgumentException($"The model benchmark measures a 3D network, not a {Architecture}.");
        }

        if (new[] { Stack.Z, Stack.Y, Stack.X }.Any(size => size <= 0 || size % Architecture.SpatialMultiple != 0))
        {
            throw new ArgumentException($"Every axis of the stack {Stack} must be a positive multiple of {Architecture.SpatialMultiple}.");
        }

        var tile = Tiling.TileShape;
        if (new[] { tile.Z, tile.Y, tile.X }.Any(size => size % Architecture.SpatialMultiple != 0) || Tiling.Overlap >= tile.Z)
        {
            throw new ArgumentException(
                $"The tile {tile} must be a multiple of {Architecture.SpatialMultiple} on every axis and deeper than the overlap ({Tiling.Overlap}).");
        }

        if (PredictionRuns < 1 || GemmTimedRuns < 1 || GemmWarmUpRuns < 0 || Threads < 1)
        {
            throw new ArgumentException("Runs and threads must be at least 1 (warm-up runs at least 0).");
        }

        if (GemmSizes.Count == 0 || GemmSizes.Any(size => size < 1))
        {
            throw new ArgumentException("At least one positive GEMM size is needed: it is the reference every rate is compared with.");
        }

        if (TrainingCases.Any(c => c.BatchSize < 1 || c.WarmUpSteps < 0 || c.TimedSteps < 1))
        {
            throw new ArgumentException("Every training case needs a positive batch size and at least one timed step.");
        }

        if (MemorySamplingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The memory sampling interval must be positive.");
        }
    }
}
