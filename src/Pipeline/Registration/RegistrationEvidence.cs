namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Why a registration is believed, or not: the keypoint support of the rough placement (or, for a moving image too
/// small for keypoints, its correlation) and how far it stands out from the best other placement, the correlation of
/// the registered images, and whether refining in the inverse direction (fixed into moving) lands on the same transform.
/// </summary>
/// <param name="FeatureLevel">Pyramid level the keypoints were matched on.</param>
/// <param name="Inliers">Keypoint matches the rough placement explains.</param>
/// <param name="RunnerUpInliers">Matches the best other placement explains (once the winner's are set aside).</param>
/// <param name="Matches">Keypoint matches that passed the ratio test.</param>
/// <param name="Quality">Correlation of the registered images over the footprint, when measured.</param>
/// <param name="InverseDisagreementPixels">Mean displacement between the forward result and the inverse refinement's, fixed pixels; null when not measured.</param>
/// <param name="Confidence">
/// 0..1: the weakest of the pieces of evidence, each scaled so that exactly its threshold reads 0.5 and twice as
/// strong (or, for the disagreement, half as large) reads 1. Registered results therefore have at least 0.5 and others
/// less. A score of evidence, not a calibrated probability.
/// </param>
/// <param name="CorrelationScore">When the keypoints could not place a small moving image: the correlation of the placement found by search instead.</param>
/// <param name="CorrelationRunnerUpScore">The best correlation of that search anywhere else.</param>
public sealed record RegistrationEvidence(int FeatureLevel, int Inliers, int RunnerUpInliers, int Matches, double? Quality,
    double? InverseDisagreementPixels, double Confidence, double? CorrelationScore = null, double? CorrelationRunnerUpScore = null)
{
    internal static RegistrationEvidence Create(FeatureMatch placement, double? quality, double? disagreement, RegistrationOptions options)
    {
        var support = Scaled(placement.Inliers, options.MinimumInliers);
        var uniqueness = Scaled(placement.Inliers / (double)Math.Max(placement.RunnerUpInliers, 1), options.MinimumInlierRatio);
        var confidence = Math.Min(Math.Min(support, uniqueness), Verification(quality, disagreement, options));
        return new RegistrationEvidence(placement.Level, placement.Inliers, placement.RunnerUpInliers, placement.Matches, quality,
            disagreement, Math.Round(confidence, 3));
    }

    /// <summary>Evidence of a placement by correlation, with the keypoint attempt that could not place it.</summary>
    internal static RegistrationEvidence Create(FeatureMatch keypoints, CorrelationMatch placement, double? quality, double? disagreement,
        RegistrationOptions options)
    {
        var uniqueness = Scaled(placement.Uniqueness, options.MinimumCorrelationUniqueness);
        var confidence = Math.Min(uniqueness, Verification(quality, disagreement, options));
        return new RegistrationEvidence(keypoints.Level, keypoints.Inliers, keypoints.RunnerUpInliers, keypoints.Matches, quality,
            disagreement, Math.Round(confidence, 3), Math.Round(placement.Score, 4), placement.RunnerUpScore is { } r ? Math.Round(r, 4) : null);
    }

    private static double Verification(double? quality, double? disagreement, RegistrationOptions options)
    {
        var fit = quality is { } q ? Scaled(q, options.MinimumQuality) : 0;
        var agreement = disagreement is { } d ? Scaled(options.MaximumInverseDisagreementPixels, Math.Max(d, 1e-9)) : 0;
        return Math.Min(fit, agreement);
    }

    // value / threshold mapped so that the threshold reads 0.5, clamped to 0..1.
    private static double Scaled(double value, double threshold) =>
        threshold > 0 ? Math.Clamp(0.5 * value / threshold, 0, 1) : 1;
}
