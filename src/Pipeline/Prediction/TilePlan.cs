using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// The tiles that cover a volume, chosen for that volume, and each tile's blending weights per axis.
/// A volume within the voxel budget is one pass. Otherwise, of all tile shapes within the budget (each
/// side a multiple of 2^depth, or the whole axis), the one that pushes the fewest voxels through the
/// network wins, given that neighbouring tiles overlap by at least twice the seam margin
/// (<see cref="ReceptiveField.SeamMargin"/>); fewer, larger tiles break ties. A 2D network sees Z as a
/// batch of independent planes: only Y and X are tiled, and as many planes go in one pass as fit.
/// </summary>
/// <remarks>
/// When no shape within the budget leaves room for the margin (a stack whose Z is not tiled and whose
/// planes are large), the margin is reduced in steps of 2^depth until one does: the memory bound holds,
/// seams grow; <see cref="Margin"/> says what was used.
/// </remarks>
internal sealed class TilePlan
{
    private TilePlan(VolumeShape volume, VolumeShape tileShape, int margin, IReadOnlyList<PlannedTile> tiles)
    {
        Volume = volume;
        TileShape = tileShape;
        Margin = margin;
        Tiles = tiles;
    }

    public VolumeShape Volume { get; }

    /// <summary>The shape of every pass (the volume itself for one pass; for 2D, planes x Y x X, the last pass may hold fewer planes).</summary>
    public VolumeShape TileShape { get; }

    /// <summary>The seam margin the tiles keep; 0 for one pass.</summary>
    public int Margin { get; }

    public IReadOnlyList<PlannedTile> Tiles { get; }

    /// <summary>Voxels pushed through the network per volume voxel: 1 for one pass.</summary>
    public double VoxelOverhead => Tiles.Sum(t => (double)t.Tile.Shape.VoxelCount) / Volume.VoxelCount;

    public static TilePlan For(VolumeShape volume, FnetArchitecture architecture, PredictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        if (volume.VoxelCount <= options.MaxVoxelsPerPass)
        {
            var whole = new PlannedTile(new Tile(0, 0, 0, volume), Ones(volume.Z), Ones(volume.Y), Ones(volume.X));
            return new TilePlan(volume, volume, 0, [whole]);
        }

        var multiple = architecture.SpatialMultiple;
        var threeD = architecture.Dimensions == 3;
        for (var margin = options.Margin ?? ReceptiveField.SeamMargin(architecture); ; margin = Math.Max(0, margin - multiple))
        {
            var plan = threeD ? Tiled3D(volume, options.MaxVoxelsPerPass, margin, multiple) : Batched2D(volume, options.MaxVoxelsPerPass, margin, multiple);
            if (plan is not null || margin == 0)
            {
                return plan ?? throw new ArgumentException(
                    $"No tile of a multiple of {multiple} voxels per side fits {options.MaxVoxelsPerPass} voxels for a {volume} volume; raise MaxVoxelsPerPass.");
            }
        }
    }

    private static TilePlan? Tiled3D(VolumeShape volume, long budget, int margin, int multiple)
    {
        (VolumeShape Shape, long Pushed, int Count)? best = null;
        foreach (var (z, zCount) in Candidates(volume.Z, margin, multiple))
        {
            foreach (var (y, yCount) in Candidates(volume.Y, margin, multiple))
            {
                foreach (var (x, xCount) in Candidates(volume.X, margin, multiple))
                {
                    var shape = new VolumeShape(z, y, x);
                    if (shape.VoxelCount > budget)
                    {
                        continue;
                    }

                    var count = zCount * yCount * xCount;
                    var pushed = count * shape.VoxelCount;
                    if (best is null || pushed < best.Value.Pushed || (pushed == best.Value.Pushed && count < best.Value.Count))
                    {
                        best = (shape, pushed, count);
                    }
                }
            }
        }

        if (best is not { Shape: var size })
        {
            return null;
        }

        var zAxis = Axis(volume.Z, size.Z, margin, multiple);
        var yAxis = Axis(volume.Y, size.Y, margin, multiple);
        var xAxis = Axis(volume.X, size.X, margin, multiple);
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

        return new TilePlan(volume, size, margin, tiles);
    }

    private static TilePlan? Batched2D(VolumeShape volume, long budget, int margin, int multiple)
    {
        // Whole planes when one fits the budget; otherwise the Y/X tile that pushes the fewest pixels. Then as many planes per pass as fit.
        (int Y, int X, long Pushed, int Count)? best = null;
        foreach (var (y, yCount) in Candidates(volume.Y, margin, multiple))
        {
            foreach (var (x, xCount) in Candidates(volume.X, margin, multiple))
            {
                var pushed = (long)yCount * xCount * y * x;
                var count = yCount * xCount;
                if ((long)y * x <= budget && (best is null || pushed < best.Value.Pushed || (pushed == best.Value.Pushed && count < best.Value.Count)))
                {
                    best = (y, x, pushed, count);
                }
            }
        }

        if (best is not { } plane)
        {
            return null;
        }

        var planesPerPass = (int)Math.Clamp(budget / ((long)plane.Y * plane.X), 1, volume.Z);
        var yAxis = Axis(volume.Y, plane.Y, margin, multiple);
        var xAxis = Axis(volume.X, plane.X, margin, multiple);
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

        var tiled = yAxis.Count * xAxis.Count > 1;
        return new TilePlan(volume, new VolumeShape(planesPerPass, plane.Y, plane.X), tiled ? margin : 0, tiles);
    }

    /// <summary>Tile lengths worth trying along an axis (the whole axis, then every multiple that leaves room for the margins) and how many tiles each needs.</summary>
    private static IEnumerable<(int Length, int Count)> Candidates(int length, int margin, int multiple)
    {
        yield return (length, 1);
        for (var tile = multiple; tile < length; tile += multiple)
        {
            if (TileAxis.Starts(length, tile, margin, multiple) is { } starts)
            {
                yield return (tile, starts.Count);
            }
        }
    }

    private static List<(int Start, float[] Weights)> Axis(int length, int tile, int margin, int multiple)
    {
        var starts = TileAxis.Starts(length, tile, margin, multiple)!;
        return starts.Select((start, index) => (start, TileAxis.Window(starts, index, tile, margin))).ToList();
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
