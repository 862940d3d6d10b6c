using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Weighted least-squares similarity (x' = a x - b y + tx, y' = b x + a y + ty) between point pairs, iteratively
/// reweighted with Tukey's biweight so pairs far from the consensus stop counting. Deterministic and smooth in its
/// input, which matters for the fixed-point iteration of the refinement; the caller supplies a robust start.
/// </summary>
internal static class RobustSimilarity
{
    private const int Iterations = 10;
    private const double TukeyConstant = 4.685;
    private const double MinimumScalePixels = 0.05;

    public static AffineTransform2D Fit(IReadOnlyList<Point2f> from, IReadOnlyList<Point2f> to, AffineTransform2D start)
    {
        var count = from.Count;
        var weights = new double[count];
        var residuals = new double[count];
        var estimate = start;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            for (var i = 0; i < count; i++)
            {
                var (x, y) = estimate.Apply(from[i].X, from[i].Y);
                residuals[i] = Math.Sqrt((x - to[i].X) * (x - to[i].X) + (y - to[i].Y) * (y - to[i].Y));
            }

            // Robust spread of the residual lengths; the floor keeps a near-perfect fit from weighting one pair only.
            var sorted = (double[])residuals.Clone();
            Array.Sort(sorted);
            var scale = Math.Max(1.4826 * sorted[count / 2], MinimumScalePixels);
            var cutoff = TukeyConstant * scale;
            for (var i = 0; i < count; i++)
            {
                var u = residuals[i] / cutoff;
                weights[i] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
            }

            var next = Weighted(from, to, weights);
            if (next is null)
            {
                return estimate;
            }

            estimate = next.Value;
        }

        return estimate;
    }

    private static AffineTransform2D? Weighted(IReadOnlyList<Point2f> from, IReadOnlyList<Point2f> to, double[] weights)
    {
        double total = 0, fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            total += w;
            fx += w * from[i].X;
            fy += w * from[i].Y;
            tx += w * to[i].X;
            ty += w * to[i].Y;
        }

        if (total <= 0)
        {
            return null;
        }

        fx /= total;
        fy /= total;
        tx /= total;
        ty /= total;
        double spread = 0, along = 0, across = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            var dx = from[i].X - fx;
            var dy = from[i].Y - fy;
            var du = to[i].X - tx;
            var dv = to[i].Y - ty;
            spread += w * (dx * dx + dy * dy);
            along += w * (dx * du + dy * dv);
            across += w * (dx * dv - dy * du);
        }

        if (spread <= 0)
        {
            return null;
        }

        var a = along / spread;
        var b = across / spread;
        return new AffineTransform2D(a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy));
    }
}
