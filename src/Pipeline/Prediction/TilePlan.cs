using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// The tiles that cover a volume and each tile's blending weights per axis. A 3D network tiles Z, Y
/// and X with overlap; a 2D network sees Z as a batch of independent planes, so Z is cut into
/// consecutive chunks without overlap and only Y and X are blended.
/// </summary>
internal sealed class TilePlan
{
    private TilePlan(VolumeShape volume, IReadOnlyList<PlannedTile> tiles)
    {
        Volume = volume;
        Tiles = tiles;
    }

    public VolumeShape Volume { get; }

    public IReadOnlyList<PlannedTile> Tiles { get; }

    public static TilePlan For(VolumeShape volume, int networkDimensions, PredictionOptions options)
    {
        if (volume.VoxelCount <= options.MaxVoxelsPerPass)
        {
            var whole = new PlannedTile(new Tile(0, 0, 0, volume), Ones(volume.Z), Ones(volume.Y), Ones(volume.X));
            return new TilePlan(volume, [whole]);
        }

        return networkDimensions == 3 ? Tiled3D(volume, options) : Batched2D(volume, options);
    }

    private static TilePlan Tiled3D(VolumeShape volume, PredictionOptions options)
    {
        var size = new VolumeShape(
            Math.Min(options.TileShape.Z, volume.Z),
            Math.Min(options.TileShape.Y, volume.Y),
            Math.Min(options.TileShape.X, volume.X));
        var zAxis = Axis(volume.Z, size.Z, options.Overlap);
        var yAxis = Axis(volume.Y, size.Y, options.Overlap);
        var xAxis = Axis(volume.X, size.X, options.Overlap);
        var tiles = new List<PlannedTile>();
        foreach (var (z, zWeights) in zAxis)
        {
            foreach (var (y, yWeights) in yAxis)
            {
                foreach (var (x, xWeights) in xAxis)
                {
                    tiles.Add(new PlannedTile(new Tile(z, y, x, size), zWeights, yWeights, xWeights));
                }
            }
        }

        return new TilePlan(volume, tiles);
    }

    private static TilePlan Batched2D(VolumeShape volume, PredictionOptions options)
    {
        // Whole planes when one fits the budget; otherwise Y/X tiles. Then as many planes per pass as fit.
        var plane = volume.PlaneSize <= options.MaxVoxelsPerPass
            ? (Y: volume.Y, X: volume.X)
            : (Y: Math.Min(options.TileShape.Y, volume.Y), X: Math.Min(options.TileShape.X, volume.X));
        var planesPerPass = (int)Math.Clamp(options.MaxVoxelsPerPass / ((long)plane.Y * plane.X), 1, volume.Z);
        var yAxis = Axis(volume.Y, plane.Y, options.Overlap);
        var xAxis = Axis(volume.X, plane.X, options.Overlap);
        var tiles = new List<PlannedTile>();
        for (var z = 0; z < volume.Z; z += planesPerPass)
        {
            var planes = Math.Min(planesPerPass, volume.Z - z);
            foreach (var (y, yWeights) in yAxis)
            {
                foreach (var (x, xWeights) in xAxis)
                {
                    tiles.Add(new PlannedTile(new Tile(z, y, x, new VolumeShape(planes, plane.Y, plane.X)), Ones(planes), yWeights, xWeights));
                }
            }
        }

        return new TilePlan(volume, tiles);
    }

    private static List<(int Start, float[] Weights)> Axis(int length, int tile, int overlap)
    {
        var starts = TileAxis.Starts(length, tile, overlap);
        return starts
            .Select(start => (start, TileAxis.Window(tile, neighbourBefore: start > 0, neighbourAfter: start + tile < length, overlap)))
            .ToList();
    }

    private static float[] Ones(int length)
    {
        var ones = new float[length];
        Array.Fill(ones, 1f);
        return ones;
    }
}

/// <summary>A tile and its blending weights along Z, Y and X (the tile's weight at a voxel is their product).</summary>
internal sealed record PlannedTile(Tile Tile, float[] ZWeights, float[] YWeights, float[] XWeights);
