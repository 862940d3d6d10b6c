namespace LabelFree.Pipeline.Registration;

/// <summary>One refinement step's similarity (in fixed pixels of its level), or why none could be fitted.</summary>
internal sealed record FlowFitResult(AffineTransform2D Update, int Samples, int Inliers, string? Failure)
{
    public bool Succeeded => Failure is null;

    public static FlowFitResult Fitted(AffineTransform2D update, int samples, int inliers) => new(update, samples, inliers, null);

    public static FlowFitResult Failed(string reason) => new(AffineTransform2D.Identity, 0, 0, reason);
}
