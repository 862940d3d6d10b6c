using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// The paper's per-image normalisation: (x - mean) / std over every voxel of one volume, with the population
/// standard deviation, computed in double as the reference does before it casts back to float32.
/// </summary>
public static class ZScore
{
    /// <summary>A new, normalised volume; the input is left as it was.</summary>
    /// <exception cref="ConstantImageException">Every voxel holds the same value.</exception>
    /// <exception cref="ArgumentException">The volume holds NaN or infinite values.</exception>
    public static Volume Normalize(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var statistics = IntensityStatistics.Measure(volume.Voxels);
        if (statistics.IsConstant)
        {
            throw new ConstantImageException(statistics.Minimum, nameof(volume));
        }

        var mean = statistics.Mean;
        var standardDeviation = statistics.StandardDeviation;
        var source = volume.Voxels;
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = (float)((source[i] - mean) / standardDeviation);
        }

        return new Volume(volume.Shape, result);
    }
}
