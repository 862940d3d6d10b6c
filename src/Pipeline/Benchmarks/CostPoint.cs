using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>One stack predicted under the product's tiling policy: how long it took and the most memory it held.</summary>
/// <param name="Voxels">Voxels of the stack on the model grid (what the network is given).</param>
/// <param name="TileCount">Forward passes; 1 for one pass.</param>
/// <param name="VoxelOverhead">Voxels pushed through the network per stack voxel.</param>
public sealed record CostPoint(VolumeShape Stack, long Voxels, int TileCount, double VoxelOverhead, double Seconds, double CpuSeconds, double KernelSeconds, long PeakBytes)
{
    public static CostPoint From(PredictionMeasurement measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        return new CostPoint(measured.Stack, measured.Stack.VoxelCount, measured.TileCount, measured.VoxelOverhead, measured.BestSeconds,
            measured.BestCpuSeconds, measured.RunKernelSeconds.Min(), measured.Memory.PeakBytes);
    }
}
