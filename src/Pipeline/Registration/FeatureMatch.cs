namespace LabelFree.Pipeline.Registration;

/// <summary>The feature-based rough placement and how clearly it won.</summary>
/// <param name="MovingToFixed">Moving-to-fixed at level 0 (both images at the fixed pixel size); null when no similarity fits.</param>
/// <param name="Level">The pyramid level the keypoints were found on.</param>
/// <param name="Inliers">Matches the winning similarity explains.</param>
/// <param name="RunnerUpInliers">Matches the best similarity explains once the winner's are set aside (0 when none fits).</param>
/// <param name="Matches">Matches that passed the ratio test.</param>
/// <param name="MovingKeypoints">Keypoints found in the moving image.</param>
/// <param name="FixedKeypoints">Keypoints found in the fixed image.</param>
internal sealed record FeatureMatch(AffineTransform2D? MovingToFixed, int Level, int Inliers, int RunnerUpInliers,
    int Matches, int MovingKeypoints, int FixedKeypoints)
{
    public static FeatureMatch None(int level, int movingKeypoints, int fixedKeypoints) =>
        new(null, level, 0, 0, 0, movingKeypoints, fixedKeypoints);
}
