using LabelFree.Pipeline.Imaging;
using WorkerPrediction = LabelFree.Worker.Hosting.PredictionOptions;
using PipelinePrediction = LabelFree.Pipeline.Prediction.PredictionOptions;
using PipelinePrecision = LabelFree.Pipeline.Prediction.Precision;

namespace LabelFree.Worker.Consumers;

/// <summary>Turns the worker's LabelFree:Prediction settings into the Pipeline's tiled-prediction options.</summary>
public static class PredictionSettings
{
    // The Pipeline's default tile; it is shrunk (largest axis first) until it fits the voxel budget.
    private static readonly VolumeShape LargestTile = new(64, 256, 256);

    private const int SmallestTileSide = 16;

    public static PipelinePrediction ToPipeline(WorkerPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var tile = TileFor(prediction.VoxelBudget);

        // One overlap for every axis: a fraction of the smallest tile side, so it is valid along Z too.
        var overlap = (int)Math.Floor(prediction.TileOverlap * Math.Min(tile.Z, Math.Min(tile.Y, tile.X)));
        var options = new PipelinePrediction
        {
            MaxVoxelsPerPass = prediction.VoxelBudget,
            TileShape = tile,
            Overlap = overlap,
            Precision = PrecisionOf(prediction.Precision),
            Threads = prediction.CpuThreads == 0 ? Environment.ProcessorCount : prediction.CpuThreads,
        };
        options.Validate();
        return options;
    }

    public static PipelinePrecision PrecisionOf(Hosting.PredictionPrecision precision) =>
        precision == Hosting.PredictionPrecision.BFloat16 ? PipelinePrecision.BFloat16 : PipelinePrecision.Float32;

    /// <summary>The largest tile, halving its longest side, that holds at most <paramref name="voxelBudget"/> voxels.</summary>
    public static VolumeShape TileFor(long voxelBudget)
    {
        var (z, y, x) = (LargestTile.Z, LargestTile.Y, LargestTile.X);
        while ((long)z * y * x > voxelBudget && Math.Max(z, Math.Max(y, x)) > SmallestTileSide)
        {
            if (x >= y && x >= z)
            {
                x /= 2;
            }
            else if (y >= z)
            {
                y /= 2;
            }
            else
            {
                z /= 2;
            }
        }

        return new VolumeShape(z, y, x);
    }
}
