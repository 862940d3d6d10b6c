using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// CARE's normalisation (Weigert et al. 2018, csbdeep.utils.normalize): (x - p1) / (p99.8 - p1), with the
/// percentiles over every voxel of one volume, linearly interpolated as numpy.percentile does. Unlike the
/// z-score it ignores the brightest 0.2% and darkest 1% of voxels, so a few saturated pixels or a dust spot
/// do not rescale the whole image.
/// </summary>
public static class PercentileNormalisation
{
    public const double LowPercentile = 1.0;
    public const double HighPercentile = 99.8;

    /// <summary>A new, normalised volume; the input is left as it was.</summary>
    /// <exception cref="ConstantImageException">Every voxel holds the same value.</exception>
    public static Volume Normalize(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var sorted = volume.Voxels.ToArray();
        Array.Sort(sorted);
        var low = Percentile(sorted, LowPercentile);
        var high = Percentile(sorted, HighPercentile);
        if (!(high > low))
        {
            if (sorted[0] == sorted[^1])
            {
                throw new ConstantImageException(sorted[0], nameof(volume));
            }

            // Over 98.8% of the voxels share one value (a mostly empty field): scale by the full range instead
            // of dividing by zero.
            (low, high) = (sorted[0], sorted[^1]);
        }

        var scale = 1.0 / (high - low);
        var source = volume.Voxels;
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = (float)((source[i] - low) * scale);
        }

        return new Volume(volume.Shape, result);
    }

    /// <summary>numpy's default ("linear") percentile of sorted values.</summary>
    public static double Percentile(ReadOnlySpan<float> sorted, double percent)
    {
        var position = percent / 100.0 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - (double)sorted[below]);
    }
}
