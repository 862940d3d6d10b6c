namespace LabelFree.Pipeline.Tests.Simulation;

/// <summary>Double-precision statistics over voxel arrays, written out here so the tests do not trust the code under test.</summary>
internal static class VoxelStatistics
{
    public static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    public static double Variance(ReadOnlySpan<float> values)
    {
        var mean = Mean(values);
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += (value - mean) * (value - mean);
        }

        return sum / values.Length;
    }

    /// <summary>Variance of the voxel-wise difference a - b.</summary>
    public static double VarianceOfDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var difference = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            difference[i] = a[i] - b[i];
        }

        return Variance(difference);
    }

    public static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var (meanA, meanB) = (Mean(a), Mean(b));
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (da, db) = (a[i] - meanA, b[i] - meanB);
            covariance += da * db;
            varianceA += da * da;
            varianceB += db * db;
        }

        return covariance / Math.Sqrt(varianceA * varianceB);
    }

    /// <summary>The paper's C_max = sqrt(SNR / (1 + SNR)).</summary>
    public static double CorrelationCeiling(double signalVariance, double noiseVariance)
    {
        var snr = signalVariance / noiseVariance;
        return Math.Sqrt(snr / (1 + snr));
    }
}
