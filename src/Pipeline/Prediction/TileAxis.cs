namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// Where tiles go along one axis and how much each voxel of a tile counts when neighbouring tiles are blended.
/// </summary>
internal static class TileAxis
{
    /// <summary>
    /// Tile starts covering <paramref name="length"/> with tiles of <paramref name="tile"/> voxels: the first at
    /// 0, the last ending at the end, as few as keep every pair of neighbours overlapping by at least
    /// 2 x <paramref name="margin"/>, spread evenly. Every start is a multiple of <paramref name="multiple"/>
    /// (2^depth): the U-Net's halvings then fall on the same voxels as in the whole volume, so a tile's output
    /// equals the whole-volume output away from its edges (shifted by anything else, it differs everywhere).
    /// Null when the tile is shorter than the axis but too short for its two margins and a step.
    /// </summary>
    public static IReadOnlyList<int>? Starts(int length, int tile, int margin, int multiple)
    {
        if (tile >= length)
        {
            return [0];
        }

        var longestStep = (tile - (2 * margin)) / multiple;
        if (longestStep < 1)
        {
            return null;
        }

        // Steps in units of the multiple: (length - tile) / multiple of them shared among the gaps, none longer than longestStep.
        var units = (length - tile) / multiple;
        var gaps = (units + longestStep - 1) / longestStep;
        var starts = new List<int> { 0 };
        for (var gap = 0; gap < gaps; gap++)
        {
            var step = (units / gaps) + (gap < units % gaps ? 1 : 0);
            starts.Add(starts[^1] + (step * multiple));
        }

        return starts;
    }

    /// <summary>
    /// Per-voxel weights of the tile starting at <paramref name="starts"/>[index]: 0 within
    /// <paramref name="margin"/> of an edge that has a neighbouring tile (those voxels are the neighbour's),
    /// a raised-cosine cross-fade over the rest of the overlap (sin² rising in one tile where cos² falls in
    /// the other, so they sum to 1), 1 elsewhere, including at the volume's borders. Where the overlap is
    /// exactly 2 x margin the fade is empty and the tiles meet at a hard cut in its middle.
    /// </summary>
    public static float[] Window(IReadOnlyList<int> starts, int index, int tile, int margin)
    {
        var weights = new float[tile];
        Array.Fill(weights, 1f);
        var start = starts[index];
        if (index > 0)
        {
            // Shared with the previous tile: [start, previous end); this tile takes over past its own margin.
            var overlap = starts[index - 1] + tile - start;
            Fade(weights, from: margin, width: overlap - (2 * margin), rising: true);
            Array.Fill(weights, 0f, 0, margin);
        }

        if (index < starts.Count - 1)
        {
            var nextOffset = starts[index + 1] - start;
            var overlap = tile - nextOffset;
            Fade(weights, from: nextOffset + margin, width: overlap - (2 * margin), rising: false);
            Array.Fill(weights, 0f, tile - margin, margin);
        }

        return weights;
    }

    private static void Fade(float[] weights, int from, int width, bool rising)
    {
        for (var k = 0; k < width; k++)
        {
            var sine = Math.Sin(Math.PI / 2 * (k + 0.5) / width);
            var weight = (float)(rising ? sine * sine : 1 - (sine * sine));
            weights[from + k] *= weight;
        }
    }
}
