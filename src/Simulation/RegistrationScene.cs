namespace LabelFree.Simulation;

/// <summary>
/// What <see cref="RegistrationSceneSimulator"/> draws: a large fixed MBP-IF image of nerve tissue and, cut from
/// the same tissue through a known similarity transform, a small EM image with its IF-like counterpart (what a
/// trained EM → IF model would predict). Defaults follow the paper: 2048² fixed pixels of 100 nm (204.8 µm) and
/// a 1500² EM region of 10 nm (15 µm).
/// </summary>
public sealed record RegistrationScene
{
    public int FixedSize { get; init; } = 2048;

    public double FixedPixelSizeMicrometres { get; init; } = 0.1;

    public int MovingSize { get; init; } = 1500;

    /// <summary>Nominal pixel size of the EM and moving images; the true one differs by the scale deviation.</summary>
    public double MovingPixelSizeMicrometres { get; init; } = 0.01;

    public long Seed { get; init; } = 1;

    /// <summary>The moving → fixed transform to use; null draws one from the seed within the limits below.</summary>
    public SimilarityTransform? Transform { get; init; }

    public double MaximumRotationDegrees { get; init; } = 15;

    /// <summary>Largest relative error of the nominal moving pixel size (a mis-calibrated magnification).</summary>
    public double MaximumScaleDeviation { get; init; } = 0.03;

    public TissueComposition Tissue { get; init; } = new();

    public ImmunofluorescenceOptics FixedOptics { get; init; } = new();

    public ElectronDetector Detector { get; init; } = new();

    /// <summary>PSF of the predicted IF, a little wider than the real one as a model's output is smooth.</summary>
    public double MovingBlurMicrometres { get; init; } = 0.18;

    /// <summary>Intensity change of the prediction: value = offset + gain * coverage^gamma + noise.</summary>
    public double MovingGamma { get; init; } = 0.8;

    public double MovingGain { get; init; } = 2.0;

    public double MovingOffset { get; init; } = -0.5;

    public double MovingNoise { get; init; } = 0.04;

    public void Validate()
    {
        if (FixedSize <= 0 || MovingSize <= 0)
        {
            throw new ArgumentException($"Image sizes must be positive, got fixed {FixedSize}, moving {MovingSize}.");
        }

        if (!(FixedPixelSizeMicrometres > 0) || !(MovingPixelSizeMicrometres > 0)
            || !double.IsFinite(FixedPixelSizeMicrometres + MovingPixelSizeMicrometres))
        {
            throw new ArgumentException("Pixel sizes must be finite and positive.");
        }

        if (!(MaximumRotationDegrees >= 0 && MaximumRotationDegrees <= 180) || !(MaximumScaleDeviation >= 0 && MaximumScaleDeviation < 0.5))
        {
            throw new ArgumentException("Rotation limit must be in [0, 180] degrees and scale deviation in [0, 0.5).");
        }

        if (Transform is { } transform && (!(transform.Scale > 0) || !double.IsFinite(
                transform.Scale + transform.RotationDegrees + transform.TranslationX + transform.TranslationY)))
        {
            throw new ArgumentException($"The given transform must be finite with a positive scale, got {transform}.");
        }

        if (!(MovingBlurMicrometres >= 0) || !(MovingGamma > 0) || !(MovingGain != 0) || !(MovingNoise >= 0)
            || !double.IsFinite(MovingBlurMicrometres + MovingGamma + MovingGain + MovingOffset + MovingNoise))
        {
            throw new ArgumentException("Moving-image blur and noise must be >= 0, gamma > 0 and gain non-zero.");
        }

        Tissue.Validate();
        FixedOptics.Validate();
        Detector.Validate();
    }
}
