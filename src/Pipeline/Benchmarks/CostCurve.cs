namespace LabelFree.Pipeline.Benchmarks;

/// <summary>How prediction cost grows: with the stack's size, with the number of structures, and what a paper-size stack costs.</summary>
/// <param name="Sizes">Stacks of increasing size under the product's tiling policy.</param>
/// <param name="VoxelExponent">b in CPU time ∝ voxels^b, fitted by least squares on log-log (1 = linear).</param>
public sealed record CostCurve(IReadOnlyList<CostPoint> Sizes, double VoxelExponent, IReadOnlyList<StructureCost> Structures, PaperStackThroughput PaperStack)
{
    /// <summary>The least-squares slope of log(CPU seconds) against log(voxels).</summary>
    public static double FitExponent(IReadOnlyList<CostPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2)
        {
            throw new ArgumentException("An exponent needs at least two stack sizes.", nameof(points));
        }

        var x = points.Select(p => Math.Log(p.Voxels)).ToArray();
        var y = points.Select(p => Math.Log(p.CpuSeconds)).ToArray();
        double meanX = x.Average(), meanY = y.Average();
        var covariance = x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum();
        var variance = x.Sum(a => (a - meanX) * (a - meanX));
        return covariance / variance;
    }
}
