using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks;

/// <summary>What <see cref="ModelBenchmark"/> measures. The defaults are the issue's: the paper's 3D network on a 48x240x368 stack, training at batch 24 and 4 of 32x64x64.</summary>
public sealed record ModelBenchmarkOptions
{
    /// <summary>The stack the targets are stated for.</summary>
    public static VolumeShape PaperStack { get; } = new(48, 240, 368);

    /// <summary>The paper's raw stack (65 planes of 624 x 924 at 0.29 µm z-step, 0.108 µm pixels, 100x objective).</summary>
    public static VolumeShape PaperRawStack { get; } = new(65, 624, 924);

    public static VoxelSize PaperRawVoxelSize { get; } = new(0.29, 0.108, 0.108);

    /// <summary>
    /// A smoke test that finishes in a minute or two: a small stack cut into two tiles that keep the full seam
    /// margin (16x208x224 in two 16x208x208 passes), the smaller GEMM only, small cost-curve stacks, the paper's
    /// stack at half its plane and a quarter of its depth (16x312x464) for throughput, and no paper-batch training step (about 25 s a step on 2 cores).
    /// </summary>
    public static ModelBenchmarkOptions Quick { get; } = new()
    {
        Stack = new VolumeShape(16, 208, 224),
        Tiling = new PredictionOptions { MaxVoxelsPerPass = 16 * 208 * 208 },
        GemmSizes = [2048],
        TrainingCases = [new TrainingCase(BatchSize: 4, WarmUpSteps: 1, TimedSteps: 1)],
        CostCurveStacks = [new VolumeShape(16, 64, 96), new VolumeShape(16, 96, 128), new VolumeShape(32, 96, 128)],
        PaperSizeStack = new VolumeShape(16, 312, 464),
    };

    public FnetArchitecture Architecture { get; init; } = FnetArchitecture.Paper3D;

    /// <summary>Precisions of the GEMM reference and the prediction cases (bf16 is pointless on a CPU without bf16 instructions).</summary>
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Float32, Precision.BFloat16];

    public VolumeShape Stack { get; init; } = PaperStack;

    /// <summary>The tiling policy of the tiled cases and the cost curve: the product's by default (precision and threads are set per case).</summary>
    public PredictionOptions Tiling { get; init; } = new();

    /// <summary>
    /// Stacks of increasing size for the cost curve's exponent; the paper-size stack (80x240x352 on the model
    /// grid, 6.76 M voxels) is the curve's third point. Under the default 8 Mi-voxel budget all three go in one pass.
    /// </summary>
    public IReadOnlyList<VolumeShape> CostCurveStacks { get; init; } = [new VolumeShape(32, 128, 192), new VolumeShape(48, 176, 208)];

    /// <summary>Whether to measure the <see cref="CostCurve"/> (about a minute at the default sizes).</summary>
    public bool MeasureCostCurve { get; init; } = true;

    /// <summary>Numbers of structure models predicted on the smallest cost-curve stack.</summary>
    public IReadOnlyList<int> StructureCounts { get; init; } = [1, 2, 3];

    /// <summary>The raw stack whose throughput (stacks per hour per core) is reported, at <see cref="PaperSizeVoxelSize"/>.</summary>
    public VolumeShape PaperSizeStack { get; init; } = PaperRawStack;

    public VoxelSize PaperSizeVoxelSize { get; init; } = PaperRawVoxelSize;

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

        foreach (var shape in CostCurveStacks.Prepend(Stack))
        {
            if (new[] { shape.Z, shape.Y, shape.X }.Any(size => size <= 0 || size % Architecture.SpatialMultiple != 0))
            {
                throw new ArgumentException($"Every axis of the stack {shape} must be a positive multiple of {Architecture.SpatialMultiple}.");
            }
        }

        if (CostCurveStacks.Count < 2 || StructureCounts.Count == 0 || StructureCounts[0] != 1 || StructureCounts.Any(c => c < 1))
        {
            throw new ArgumentException("The cost curve needs at least two stack sizes and structure counts starting at 1.");
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
