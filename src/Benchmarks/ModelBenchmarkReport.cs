using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Benchmarks;

/// <summary>Everything `labelfree bench model` measured, in the order it is printed.</summary>
public sealed record ModelBenchmarkReport
{
    /// <summary>How peak memory is measured, printed with the figures so they can be read correctly.</summary>
    public const string MemoryMethod =
        "resident set size sampled every 20 ms on a background thread while each case runs (after a GC and " +
        "malloc_trim so the baseline is what the process holds); peak = the whole process (runtime, libtorch, " +
        "weights, input and output arrays included), above baseline = what the case itself added";

    public required DateTimeOffset Started { get; init; }

    public required double TotalSeconds { get; init; }

    public required MachineDescription Machine { get; init; }

    public required LoadAverage? LoadAtStart { get; init; }

    public required LoadAverage? LoadAtEnd { get; init; }

    public required string Network { get; init; }

    public required long Parameters { get; init; }

    public required string Weights { get; init; }

    public required VolumeShape Stack { get; init; }

    /// <summary>FLOPs of one forward pass over <see cref="Stack"/>, from the layer shapes.</summary>
    public required long ForwardFlops { get; init; }

    public double FlopsPerVoxel => (double)ForwardFlops / Stack.VoxelCount;

    public required IReadOnlyList<GemmMeasurement> Gemm { get; init; }

    /// <summary>Whether libtorch's MKL runs its Intel fp32 GEMM kernels here (false on AMD: the fp32 reference is then MKL's generic path); null if unknown.</summary>
    public required bool? MklTreatsCpuAsIntel { get; init; }

    public required IReadOnlyList<PredictionMeasurement> Predictions { get; init; }

    public required IReadOnlyList<Agreement> Agreements { get; init; }

    /// <summary>Standard deviation of the fp32 one-pass prediction for a unit-variance input: shows the weights pass the signal through.</summary>
    public required double OutputStandardDeviation { get; init; }

    public required IReadOnlyList<TrainingStepMeasurement> Training { get; init; }

    /// <summary>Every target of the issue this report measured, PASS or MISS, with the measured reason of a miss.</summary>
    public IReadOnlyList<BenchmarkTarget> Targets => ModelTargets.Evaluate(this);

    /// <summary>
    /// The fp32 GEMM measured in a process of its own with MKL's vendor check bypassed (its
    /// mkl_serv_intel_cpu_true answering yes): the rate this CPU's vector units reach, the hardware reference.
    /// Null when not measured (see <see cref="GemmBypassNote"/>).
    /// </summary>
    public GemmMeasurement? GemmVendorCheckBypassed { get; init; }

    /// <summary>How the bypassed rate was measured, or why it was not.</summary>
    public string? GemmBypassNote { get; init; }

    /// <summary>How cost grows with stack size and structures, and paper-size throughput; null when skipped.</summary>
    public CostCurve? CostCurve { get; init; }

    /// <summary>The tiling policy's seam margin for this network (voxels) and the receptive-field radius it derives from.</summary>
    public int SeamMargin { get; init; }

    public int ReceptiveFieldRadius { get; init; }

    /// <summary>The tiling policy's voxel budget per pass (its memory bound), which the cost curve runs under.</summary>
    public long MaxVoxelsPerPass { get; init; }

    /// <summary>The tiled cases' budget: the policy's, or just below the stack's size where the policy takes it in one pass.</summary>
    public long TiledCaseVoxelsPerPass { get; init; }

    /// <summary>The memory allocator of the process (tcmalloc or glibc malloc): it decides how much time goes to page faults.</summary>
    public string? Allocator { get; init; }

    /// <summary>The compute level everything above ran at, and the self-test verdicts it was chosen on.</summary>
    public ComputeRecord? Compute { get; init; }

    /// <summary>fp32 forward and training step at every compute level that passes, each in its own process: what a fallback costs.</summary>
    public IReadOnlyList<LevelCost> LevelCosts { get; init; } = [];

    /// <summary>VmHWM at the end: the worst moment of the whole benchmark (usually the paper-batch training step).</summary>
    public required long ProcessHighWaterMarkBytes { get; init; }

    public string Memory => MemoryMethod;

    /// <summary>The fastest GEMM rate measured in <paramref name="precision"/>.</summary>
    public double GemmReference(Precision precision) => Gemm.Where(g => g.Precision == precision).Max(g => g.GigaflopsPerSecond);
}
