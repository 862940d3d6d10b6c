namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Mean, population variance (ddof 0, as numpy's default) and range of a set of voxel intensities,
/// accumulated in double so a 40-million-voxel stack loses no precision.
/// </summary>
public readonly record struct IntensityStatistics(long Count, double Mean, double Variance, float Minimum, float Maximum)
{
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>True when every voxel has the same value: no contrast at all.</summary>
    public bool IsConstant => Minimum == Maximum;

    /// <summary>Measures the voxels in two passes (mean, then squared deviations), which avoids the cancellation of a one-pass sum of squares.</summary>
    /// <exception cref="ArgumentException">No voxels, or a NaN or infinite voxel (the statistics would be meaningless).</exception>
    public static IntensityStatistics Measure(ReadOnlySpan<float> voxels)
    {
        if (voxels.IsEmpty)
        {
            throw new ArgumentException("There are no voxels to measure.", nameof(voxels));
        }

        var sum = 0.0;
        var minimum = float.PositiveInfinity;
        var maximum = float.NegativeInfinity;
        foreach (var value in voxels)
        {
            sum += value;
            minimum = Math.Min(minimum, value);
            maximum = Math.Max(maximum, value);
        }

        if (!double.IsFinite(sum))
        {
            throw new ArgumentException("The voxels hold NaN or infinite values.", nameof(voxels));
        }

        var mean = sum / voxels.Length;
        var squares = 0.0;
        foreach (var value in voxels)
        {
            var deviation = value - mean;
            squares += deviation * deviation;
        }

        return new IntensityStatistics(voxels.Length, mean, squares / voxels.Length, minimum, maximum);
    }
}
