namespace LabelFree.Pipeline.Registration;

/// <summary>Settings of <see cref="EmToIfRegistration"/>. The defaults are the tuned ones the benchmark reports.</summary>
public sealed record RegistrationOptions
{
    public static RegistrationOptions Default { get; } = new();

    /// <summary>Register only when more than this fraction of the moving pixels exceed <see cref="ContentLevel"/> (METHOD §7: 1 %).</summary>
    public double MinimumContentFraction { get; init; } = 0.01;

    /// <summary>
    /// Whether the content gate may stop a registration. A prediction should always be gated; benchmarks on real
    /// stains that are not predictions (a few bright nuclei) switch it off.
    /// </summary>
    public bool ApplyContentGate { get; init; } = true;

    /// <summary>The fraction of the moving image's maximum (above its background) a pixel must exceed to count as content.</summary>
    public double ContentLevel { get; init; } = 0.5;

    /// <summary>
    /// The smallest scale the rough placement accepts, relative to the size the pixel sizes imply (1 = the stated
    /// pixel sizes are right). With <see cref="MaximumScale"/>, the range that covers a roughly known pixel size; see
    /// <see cref="ScaleRangeBetween"/> for a range from two candidate pixel sizes. Rotation needs no range: keypoint
    /// descriptors are the same at any angle, so the whole circle is always searched.
    /// </summary>
    public double MinimumScale { get; init; } = 0.5;

    /// <summary>The largest scale the rough placement accepts, relative to the size the pixel sizes imply.</summary>
    public double MaximumScale { get; init; } = 2.0;

    /// <summary>
    /// Keypoints are matched on the deepest pyramid level where the moving image's shorter side still has this many
    /// pixels: enough structure for a few hundred keypoints, few enough pixels to stay fast.
    /// </summary>
    public int FeatureMinimumSize { get; init; } = 192;

    /// <summary>The flow refinement starts on the deepest level where the moving image's shorter side still has this many pixels.</summary>
    public int CoarseMinimumSize { get; init; } = 96;

    /// <summary>
    /// The refinement ends on the shallowest pyramid level where the moving image's shorter side is at most this many
    /// pixels (full resolution for smaller images), and the quality is measured at full resolution.
    /// </summary>
    public int FinestMaximumSize { get; init; } = 800;

    /// <summary>Stop when one refinement step moves no corner of the moving image by more than this many fixed pixels.</summary>
    public double ToleranceFixedPixels { get; init; } = 0.05;

    /// <summary>Most refinement steps at full resolution before the outcome is <see cref="RegistrationOutcome.NotConverged"/>.</summary>
    public int MaximumIterations { get; init; } = 8;

    /// <summary>
    /// The lowest normalised cross-correlation between the registered images that counts as registered. A moving image
    /// from another place converges somewhere, but correlates far below this.
    /// </summary>
    public double MinimumQuality { get; init; } = 0.25;

    /// <summary>
    /// Keypoint matches that must agree on the rough placement. In the benchmark's negative controls (moving images
    /// from elsewhere, 3 seeds x 20 trials x 3 scenes) chance agreements reached at most 5.
    /// </summary>
    public int MinimumInliers { get; init; } = 8;

    /// <summary>
    /// How many times as many keypoint matches the rough placement must explain as the best other placement: a unique
    /// match stands out, a moving image from elsewhere agrees with several places about equally (badly).
    /// </summary>
    public double MinimumInlierRatio { get; init; } = 3;

    /// <summary>
    /// For a moving image too small for keypoints, placed by correlation instead: how many times as much the best
    /// place elsewhere must leave unexplained (1 - correlation) as the chosen place.
    /// </summary>
    public double MinimumCorrelationUniqueness { get; init; } = 2;

    /// <summary>
    /// The largest mean displacement, in fixed pixels, between the forward result and a refinement in the inverse
    /// direction (fixed into moving) started from it.
    /// </summary>
    public double MaximumInverseDisagreementPixels { get; init; } = 0.5;

    /// <summary>
    /// These options with the scale range for a moving pixel size known only to lie between two values: the moving
    /// image is stated at <paramref name="statedMovingPixelUm"/>, its true pixel size is between
    /// <paramref name="smallestPixelUm"/> and <paramref name="largestPixelUm"/>; a tenth of margin either side.
    /// </summary>
    public RegistrationOptions ScaleRangeBetween(double smallestPixelUm, double largestPixelUm, double statedMovingPixelUm)
    {
        if (!(smallestPixelUm > 0) || !(largestPixelUm >= smallestPixelUm) || !(statedMovingPixelUm > 0)
            || !double.IsFinite(smallestPixelUm + largestPixelUm + statedMovingPixelUm))
        {
            throw new ArgumentOutOfRangeException(nameof(smallestPixelUm),
                $"Need 0 < smallest <= largest pixel size and a positive stated one, got {smallestPixelUm}, {largestPixelUm}, {statedMovingPixelUm}.");
        }

        return this with
        {
            MinimumScale = smallestPixelUm / statedMovingPixelUm / 1.1,
            MaximumScale = largestPixelUm / statedMovingPixelUm * 1.1,
        };
    }

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(MinimumContentFraction is >= 0 and < 1) || !(ContentLevel is > 0 and < 1))
        {
            throw new ArgumentException($"Content gate settings out of range: fraction {MinimumContentFraction}, level {ContentLevel}.");
        }

        if (!(MinimumScale > 0.05) || !(MaximumScale >= MinimumScale) || !(MaximumScale < 20) || !double.IsFinite(MinimumScale + MaximumScale))
        {
            throw new ArgumentException($"Scale range out of range: {MinimumScale} to {MaximumScale} (need 0.05 < minimum <= maximum < 20).");
        }

        if (FeatureMinimumSize < 32 || CoarseMinimumSize < 16 || FinestMaximumSize < CoarseMinimumSize || MaximumIterations < 1 || !(ToleranceFixedPixels > 0) || !(MinimumQuality is >= -1 and <= 1)
            || MinimumInliers < 3 || !(MinimumInlierRatio >= 1) || !(MinimumCorrelationUniqueness >= 1) || !(MaximumInverseDisagreementPixels > 0))
        {
            throw new ArgumentException(
                $"Settings out of range: feature size {FeatureMinimumSize}, coarse size {CoarseMinimumSize}, iterations {MaximumIterations}, " +
                $"tolerance {ToleranceFixedPixels}, minimum quality {MinimumQuality}, minimum inliers {MinimumInliers}, " +
                $"inlier ratio {MinimumInlierRatio}, correlation uniqueness {MinimumCorrelationUniqueness}, inverse disagreement {MaximumInverseDisagreementPixels} px.");
        }
    }
}
