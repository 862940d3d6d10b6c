namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// Where tiles go along one axis and how much each voxel of a tile counts when overlapping tiles are blended.
/// </summary>
internal static class TileAxis
{
    /// <summary>
    /// Tile starts as pytorch_fnet master's predict_piecewise places them: from 0 in steps of
    /// (tile - overlap); the tile that would run past the end is moved back to end exactly at the end.
    /// </summary>
    public static IReadOnlyList<int> Starts(int length, int tile, int overlap)
    {
        if (tile >= length)
        {
            return [0];
        }

        var starts = new List<int>();
        for (var start = 0; ; start += tile - overlap)
        {
            if (start + tile >= length)
            {
                starts.Add(length - tile);
                return starts;
            }

            starts.Add(start);
        }
    }

    /// <summary>
    /// Per-voxel weights of one tile along one axis: 1 in the middle, a raised-cosine ramp over
    /// <paramref name="overlap"/> voxels at each edge that has a neighbouring tile. Edges on the volume's
    /// border keep weight 1, so no voxel of the volume ends up with zero total weight; a ramp never
    /// reaches 0 either (it is sampled at voxel centres). Where two tiles overlap by exactly the ramp
    /// width, their weights sum to 1 (sin² + cos²), so the blend is a pure cross-fade.
    /// </summary>
    public static float[] Window(int length, bool neighbourBefore, bool neighbourAfter, int overlap)
    {
        var weights = new float[length];
        Array.Fill(weights, 1f);
        var ramp = Math.Min(overlap, length / 2);
        for (var k = 0; k < ramp; k++)
        {
            var rising = Math.Sin(Math.PI / 2 * (k + 0.5) / ramp);
            var weight = (float)(rising * rising);
            if (neighbourBefore)
            {
                weights[k] = weight;
            }

            if (neighbourAfter)
            {
                weights[length - 1 - k] = weight;
            }
        }

        return weights;
    }
}
