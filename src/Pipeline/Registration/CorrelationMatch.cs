namespace LabelFree.Pipeline.Registration;

/// <summary>The correlation-based rough placement and how clearly it won.</summary>
/// <param name="MovingToFixed">Moving-to-fixed at level 0 (both images at the fixed pixel size); null when no template fits.</param>
/// <param name="Score">The verified correlation at the chosen place.</param>
/// <param name="RunnerUpScore">The best verified correlation anywhere else; null when no other peak was kept.</param>
internal sealed record CorrelationMatch(AffineTransform2D? MovingToFixed, double Score, double? RunnerUpScore)
{
    /// <summary>
    /// How far the winner stands out: what the runner-up leaves unexplained (1 - correlation) over what the winner
    /// does. A difference of correlations would not do: smooth tissue correlates at 0.88 almost anywhere, and a true
    /// place at 0.97 stands out by leaving a quarter as much unexplained. A moving image from elsewhere scores about as
    /// well at several places (a ratio near 1).
    /// </summary>
    public double Uniqueness => RunnerUpScore is { } other ? (1 - other) / Math.Max(1 - Score, 1e-6) : double.PositiveInfinity;
}
