namespace LabelFree.Pipeline.Registration;

/// <summary>The rough placement and how clearly it won.</summary>
/// <param name="MovingToFixed">Moving-to-fixed at level 0 (both images' pixels at the fixed pixel size).</param>
/// <param name="Score">The search level's best correlation at the chosen place.</param>
/// <param name="RunnerUpScore">The search level's best correlation anywhere else; null when the fixed image has no room for another place.</param>
internal sealed record CoarseMatch(AffineTransform2D MovingToFixed, double Score, double? RunnerUpScore)
{
    /// <summary>How far the winner stands out; a moving image from elsewhere scores about as well at several places.</summary>
    public double? Margin => RunnerUpScore is { } other ? Score - other : null;
}
