using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// Timing and memory of predicting one stack one way (a precision, in one pass or tiled).
/// Speed counts the FLOPs of one whole-stack forward pass, so the extra work of overlapping tiles
/// shows up as a lower rate rather than being credited.
/// </summary>
/// <param name="Name">Case name, e.g. "fp32 whole".</param>
/// <param name="TileShape">The shape of each forward pass (the stack itself when not tiled).</param>
/// <param name="TileCount">Forward passes per prediction.</param>
/// <param name="Margin">Voxels each tile's output stays from its inner edges (0 for one pass).</param>
/// <param name="RunSeconds">Wall time of every timed run, in order.</param>
/// <param name="RunCpuSeconds">CPU time (all threads) of every timed run, in order.</param>
/// <param name="RunKernelSeconds">The part of each run's CPU time spent in the kernel (mostly page faults on fresh memory).</param>
/// <param name="Flops">FLOPs of one whole-stack forward pass.</param>
/// <param name="GemmGigaflopsPerSecond">The same precision's GEMM rate on this machine.</param>
/// <param name="GemmGigaflopsPerCpuSecond">The same precision's GEMM rate per CPU-second.</param>
/// <param name="Memory">The run with the highest resident peak.</param>
public sealed record PredictionMeasurement(
    string Name,
    Precision Precision,
    VolumeShape Stack,
    VolumeShape TileShape,
    int TileCount,
    int Margin,
    IReadOnlyList<double> RunSeconds,
    IReadOnlyList<double> RunCpuSeconds,
    IReadOnlyList<double> RunKernelSeconds,
    long Flops,
    double GemmGigaflopsPerSecond,
    double GemmGigaflopsPerCpuSecond,
    MemoryPeak Memory,
    LoadAverage? LoadBefore,
    LoadAverage? LoadAfter)
{
    public bool IsTiled => TileCount > 1;

    public double BestSeconds => RunSeconds.Min();

    public double GigaflopsPerSecond => Flops / BestSeconds / 1e9;

    public double FractionOfGemm => GigaflopsPerSecond / GemmGigaflopsPerSecond;

    public double BestCpuSeconds => RunCpuSeconds.Min();

    /// <summary>
    /// The speed fraction by CPU time instead of wall time: a cross-check that holds up when other work
    /// shares the cores. It flatters code with serial stretches (one busy core costs half the CPU time of two).
    /// </summary>
    public double FractionOfGemmByCpuTime => Flops / BestCpuSeconds / 1e9 / GemmGigaflopsPerCpuSecond;

    /// <summary>Voxels pushed through the network per stack voxel: 1 for one pass, more where tiles overlap.</summary>
    public double VoxelOverhead => (double)TileCount * TileShape.VoxelCount / Stack.VoxelCount;

    /// <summary>The kernel's share of the CPU time of the least CPU-hungry run (page faults on freshly mapped memory, mostly).</summary>
    public double KernelFraction => RunKernelSeconds.Min() / BestCpuSeconds;
}
