using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// One structure predicted for a stack of the paper's size, the whole way a worker does it: z-score and cubic
/// resampling to the model's 0.29 µm grid, padding to the U-Net's step, prediction under the product's tiling
/// policy, and back to the input grid.
/// </summary>
/// <param name="ModelShape">The stack on the model grid (what the network sees).</param>
/// <param name="CpuSeconds">CPU time of all of it, all threads.</param>
public sealed record PaperStackThroughput(VolumeShape Input, VoxelSize InputVoxelSize, VolumeShape ModelShape, int TileCount, int Margin,
    double Seconds, double CpuSeconds, double ResamplingCpuSeconds, long PeakBytes)
{
    /// <summary>Stacks one core finishes in an hour: 3600 CPU-seconds over the CPU time of one stack.</summary>
    public double StacksPerHourPerCore => 3600 / CpuSeconds;
}
