using System.Globalization;
using PipelinePrediction = LabelFree.Pipeline.Prediction.PredictionOptions;

namespace LabelFree.Worker.Hosting;

/// <summary>Tiled prediction settings (LabelFree:Prediction).</summary>
public sealed class PredictionOptions
{
    /// <summary>Threads for inference; 0 uses every core.</summary>
    public int CpuThreads { get; set; }

    /// <summary>
    /// Most voxels in one forward pass (the memory bound); larger volumes are tiled, the tile shape chosen per
    /// volume. The Pipeline's setting of the same name, with its default: CLI and worker tile a stack identically.
    /// </summary>
    public long MaxVoxelsPerPass { get; set; } = PipelinePrediction.DefaultMaxVoxelsPerPass;

    /// <summary>Voxels a tile's output stays from its inner edges; null (the default) derives it from each network's receptive field.</summary>
    public int? Margin { get; set; }

    /// <summary>Float32 or BFloat16.</summary>
    public PredictionPrecision Precision { get; set; } = PredictionPrecision.Float32;

    /// <summary>Inputs with more voxels (all time points and channels) are rejected as TooLarge.</summary>
    public long MaxInputVoxels { get; set; } = 1L << 30;

    /// <summary>Summary for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"threads {(CpuThreads == 0 ? "all" : CpuThreads.ToString(CultureInfo.InvariantCulture))}, at most {MaxVoxelsPerPass} voxels per pass, " +
        $"margin {(Margin is { } margin ? margin.ToString(CultureInfo.InvariantCulture) : "from the receptive field")}, {Precision}, max input {MaxInputVoxels} voxels");
}
