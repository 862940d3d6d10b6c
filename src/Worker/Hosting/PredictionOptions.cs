using System.Globalization;

namespace LabelFree.Worker.Hosting;

/// <summary>Tiled prediction settings (LabelFree:Prediction).</summary>
public sealed class PredictionOptions
{
    /// <summary>Threads for inference; 0 uses every core.</summary>
    public int CpuThreads { get; set; }

    /// <summary>Most voxels in one tile: bounds memory (one 48x240x368 tile, 4.2 M voxels, peaks near 5 GB in fp32).</summary>
    public long VoxelBudget { get; set; } = 4L * 1024 * 1024;

    /// <summary>Overlap between neighbouring tiles as a fraction of the tile size, blended smoothly.</summary>
    public double TileOverlap { get; set; } = 0.25;

    /// <summary>Float32 or BFloat16.</summary>
    public PredictionPrecision Precision { get; set; } = PredictionPrecision.Float32;

    /// <summary>Inputs with more voxels (all time points and channels) are rejected as TooLarge.</summary>
    public long MaxInputVoxels { get; set; } = 1L << 30;

    /// <summary>Summary for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"threads {(CpuThreads == 0 ? "all" : CpuThreads.ToString(CultureInfo.InvariantCulture))}, tile budget {VoxelBudget} voxels, " +
        $"overlap {TileOverlap}, {Precision}, max input {MaxInputVoxels} voxels");
}
