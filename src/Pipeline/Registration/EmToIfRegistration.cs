using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Places a moving image that is already in IF space (a 2D model's IF prediction from an EM micrograph) inside a
/// larger fixed IF image (METHOD §7, Fig. 2 of the paper):
/// <list type="number">
/// <item>content gate: too little predicted structure is a normal "insufficient content" result;</item>
/// <item>the moving image is resampled to the fixed image's pixel size, and both get a Gaussian pyramid;</item>
/// <item>coarse placement: normalised cross-correlation over a few rotations and scales on a deep pyramid level, the
/// best peaks verified on a finer one, then the translation refined at full resolution with a sub-pixel peak;</item>
/// <item>refinement, coarse to fine: Farneback flow between the warped moving image and the fixed image, a robust
/// similarity fitted to it and composed with the estimate, until a step moves no corner by more than the tolerance;</item>
/// <item>quality: the correlation of the registered images over the footprint.</item>
/// </list>
/// The result's transform maps moving pixels as given (not resampled) to fixed pixels; see <see cref="RegistrationTransform"/>.
/// </summary>
public static class EmToIfRegistration
{
    private const int CoarseLevelIterations = 4;
    private const int FeatureMinimumFixedSize = 512;
    private const double CoarseLevelTolerancePixels = 0.2;

    private static readonly FarnebackSettings CoarseFlow = new(PyramidLevels: 3, WindowSize: 15, Iterations: 3, PolyN: 5, PolySigma: 1.1);

    // At full resolution the wider polynomial (7 px, sigma 1.5; OpenCV's suggestion for smoother flow) cut the mean
    // error on the noisy, sparse real DAPI image by a quarter in the benchmark, at no loss on the other scenes.
    private static readonly FarnebackSettings FineFlow = new(PyramidLevels: 2, WindowSize: 15, Iterations: 3, PolyN: 7, PolySigma: 1.5);

    /// <exception cref="RegistrationInputException">The moving image does not fit inside the fixed image at the fixed pixel size, or is too small to place.</exception>
    /// <exception cref="OpenCvUnavailableException">OpenCV's native library cannot be loaded.</exception>
    /// <exception cref="ArgumentException">An image holds NaN or infinite values, or the options are out of range.</exception>
    public static RegistrationResult Register(CalibratedImage moving, CalibratedImage fixedImage,
        RegistrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(moving);
        ArgumentNullException.ThrowIfNull(fixedImage);
        options ??= RegistrationOptions.Default;
        options.Validate();
        RequireFinite(moving.Image, nameof(moving));
        RequireFinite(fixedImage.Image, nameof(fixedImage));

        var clock = Stopwatch.StartNew();

        // The size is checked before resampling: pixel sizes off by orders of magnitude would otherwise allocate the
        // oversized (native) image first, gigabytes from a 2D input. A pair that cannot fit is bad input whatever
        // its content, so this comes before the content gate too.
        var ratio = moving.PixelSizeUm / fixedImage.PixelSizeUm;
        var (commonWidth, commonHeight) = CommonPixelGrid.SizeOf(moving.Width, moving.Height, ratio);
        // The pixel sizes are known only roughly: the moving image must fit at the smallest scale searched.
        if (!(commonWidth * options.MinimumScale <= fixedImage.Width && commonHeight * options.MinimumScale <= fixedImage.Height))
        {
            throw new RegistrationInputException(FormattableString.Invariant(
                $"The moving image is {commonWidth:0} x {commonHeight:0} px at the fixed pixel size ({fixedImage.PixelSizeUm} µm), larger than the fixed image ({fixedImage.Width} x {fixedImage.Height} px) even at the smallest scale searched ({options.MinimumScale}): check the pixel sizes."));
        }

        var content = ContentGate.ContentFraction(moving.Image, options.ContentLevel);
        if (options.ApplyContentGate && content <= options.MinimumContentFraction)
        {
            var reason = FormattableString.Invariant(
                $"only {content:0.###%} of the moving-image pixels exceed {options.ContentLevel:0.#%} of its maximum (above background); more than {options.MinimumContentFraction:0.#%} must");
            var seconds = clock.Elapsed.TotalSeconds;
            return new RegistrationResult(RegistrationOutcome.InsufficientContent, reason, null, false, 0, null, content, null,
                moving.Width, moving.Height, new RegistrationTimings(seconds, 0, 0, seconds));
        }

        OpenCvRuntime.EnsureLoaded();
        using var movingMat = MatConversion.ToMat(moving.Image);
        using var grid = CommonPixelGrid.Resample(movingMat, ratio);

        // Keypoints need the moving image large enough, and the fixed one too: a sparse stain (a few nuclei) on a
        // 256 px fixed level left 119 keypoints to match against.
        var featureLevel = Math.Min(DeepestLevel(grid.Image, fixedImage, options.FeatureMinimumSize),
            DeepestLevel(fixedImage, FeatureMinimumFixedSize));
        var coarseLevel = DeepestLevel(grid.Image, fixedImage, options.CoarseMinimumSize);
        var finestLevel = Math.Min(coarseLevel, FinestLevel(grid.Image, options.FinestMaximumSize));
        var searchLevel = DeepestLevel(grid.Image, fixedImage, CorrelationPlacement.SearchMinimumSize);
        var levels = Math.Max(Math.Max(featureLevel, coarseLevel), searchLevel) + 1;
        using var movingPyramid = new ImagePyramid(grid.Image.Clone(), levels);
        using var fixedPyramid = new ImagePyramid(MatConversion.ToMat(fixedImage.Image), levels);
        var resampleSeconds = clock.Elapsed.TotalSeconds;

        var keypoints = FeaturePlacement.Place(fixedPyramid[featureLevel], movingPyramid[featureLevel], featureLevel,
            options.MinimumScale, options.MaximumScale, FeaturePlacement.DetectorThreshold);
        var placementFailure = KeypointFailure(keypoints, options);
        var small = Math.Min(grid.Image.Cols, grid.Image.Rows) < CorrelationPlacement.MaximumMovingSize;
        // Too few matches agree on a larger moving image: a second look with weaker keypoints, held to the same rules
        // (the benchmark's sparse real nuclei: 7 of 16 agreeing matches).
        if (placementFailure is not null && !small && keypoints.Inliers < options.MinimumInliers)
        {
            var weaker = FeaturePlacement.Place(fixedPyramid[featureLevel], movingPyramid[featureLevel], featureLevel,
                options.MinimumScale, options.MaximumScale, FeaturePlacement.WeakDetectorThreshold);
            if (KeypointFailure(weaker, options) is null || weaker.Inliers > keypoints.Inliers)
            {
                keypoints = weaker;
                placementFailure = KeypointFailure(weaker, options);
            }
        }

        var rough = placementFailure is null ? keypoints.MovingToFixed : null;
        CorrelationMatch? correlation = null;
        // A small moving image gives too few keypoints to decide either way (an 80 px footprint: a dozen matches);
        // its correlation over every angle and scale still can, and is held to the same verification.
        if (rough is null && small)
        {
            correlation = CorrelationPlacement.Place(fixedPyramid, movingPyramid, searchLevel,
                DeepestLevel(grid.Image, fixedImage, CorrelationPlacement.VerifyMinimumSize), options.MinimumScale, options.MaximumScale);
            placementFailure = CorrelationFailure(correlation, options);
            rough = placementFailure is null ? correlation.MovingToFixed : null;
        }

        var coarseSeconds = clock.Elapsed.TotalSeconds - resampleSeconds;
        if (rough is not { } placed)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            return new RegistrationResult(RegistrationOutcome.NotConverged, placementFailure, null, false, 0, null, content,
                Evidence(keypoints, correlation, null, null, options), moving.Width, moving.Height,
                new RegistrationTimings(resampleSeconds, coarseSeconds, 0, seconds));
        }

        var refinement = Refine(fixedPyramid, movingPyramid, placed, coarseLevel, finestLevel, options, cancellation);
        var estimate = refinement.Estimate;
        var quality = FootprintCorrelation.Measure(fixedPyramid[0], movingPyramid[0], estimate);
        var disagreement = refinement.Failure is null
            ? InverseAgreement.Disagreement(fixedPyramid, movingPyramid, estimate, Math.Min(1, coarseLevel))
            : null;
        var refineSeconds = clock.Elapsed.TotalSeconds - resampleSeconds - coarseSeconds;

        var transform = new RegistrationTransform(estimate.After(grid.MovingToCommon), moving.PixelSizeUm, fixedImage.PixelSizeUm);
        var failure = refinement.Failure ?? QualityFailure(quality, options) ?? AgreementFailure(disagreement, options);
        var outcome = failure is null ? RegistrationOutcome.Registered : RegistrationOutcome.NotConverged;
        var timings = new RegistrationTimings(resampleSeconds, coarseSeconds, refineSeconds, clock.Elapsed.TotalSeconds);
        return new RegistrationResult(outcome, failure, transform, refinement.Converged, refinement.FullResolutionSteps,
            quality, content, Evidence(keypoints, correlation, quality, disagreement, options), moving.Width, moving.Height, timings);
    }

    private static Refinement Refine(ImagePyramid fixedPyramid, ImagePyramid movingPyramid, AffineTransform2D estimate,
        int coarseLevel, int finestLevel, RegistrationOptions options, CancellationToken cancellation)
    {
        var fullResolutionSteps = 0;
        var lastChange = double.PositiveInfinity;
        for (var level = coarseLevel; level >= finestLevel; level--)
        {
            var fine = level == finestLevel;
            var settings = fine ? FineFlow : CoarseFlow;
            var steps = fine ? options.MaximumIterations : CoarseLevelIterations;
            var tolerance = fine ? options.ToleranceFixedPixels * (1 << level) : CoarseLevelTolerancePixels * (1 << level);
            var interpolation = fine ? InterpolationFlags.Cubic : InterpolationFlags.Linear;
            for (var step = 0; step < steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var atLevel = ImagePyramid.ToLevel(estimate, level);
                var fit = FlowSimilarityFit.Fit(fixedPyramid[level], movingPyramid[level], atLevel, settings, interpolation);
                if (!fit.Succeeded)
                {
                    return new Refinement(estimate, false, fullResolutionSteps, "refinement failed: " + fit.Failure);
                }

                var updated = fit.Update.After(atLevel);
                lastChange = CornerShift(atLevel, updated, movingPyramid[level]) * (1 << level);
                estimate = ImagePyramid.FromLevel(updated, level);
                fullResolutionSteps += fine ? 1 : 0;
                if (Implausible(estimate, fixedPyramid[0], movingPyramid[0], options) is { } implausible)
                {
                    return new Refinement(estimate, false, fullResolutionSteps, "refinement diverged: " + implausible);
                }

                if (lastChange < tolerance)
                {
                    if (fine)
                    {
                        return new Refinement(estimate, true, fullResolutionSteps, null);
                    }

                    break;
                }
            }
        }

        return new Refinement(estimate, false, fullResolutionSteps, FormattableString.Invariant(
            $"the last of {fullResolutionSteps} steps on the finest level still moved a corner by {lastChange:0.###} px (tolerance {options.ToleranceFixedPixels * (1 << finestLevel)} px)"));
    }

    private static RegistrationEvidence Evidence(FeatureMatch keypoints, CorrelationMatch? correlation, double? quality,
        double? disagreement, RegistrationOptions options) =>
        correlation is null
            ? RegistrationEvidence.Create(keypoints, quality, disagreement, options)
            : RegistrationEvidence.Create(keypoints, correlation, quality, disagreement, options);

    // No similarity fits the keypoint matches, too few matches agree, or a second placement is nearly as well supported: no unique match.
    private static string? KeypointFailure(FeatureMatch placement, RegistrationOptions options)
    {
        if (placement.MovingToFixed is null)
        {
            return FormattableString.Invariant(
                $"no similarity within the searched scales fits the {placement.Matches} keypoint matches ({placement.MovingKeypoints} moving, {placement.FixedKeypoints} fixed keypoints): the moving image probably is not in the fixed image");
        }

        if (placement.Inliers < options.MinimumInliers)
        {
            return FormattableString.Invariant(
                $"only {placement.Inliers} of {placement.Matches} keypoint matches agree on one placement (at least {options.MinimumInliers} must): the moving image probably is not in the fixed image");
        }

        return placement.Inliers < options.MinimumInlierRatio * Math.Max(placement.RunnerUpInliers, 1)
            ? FormattableString.Invariant(
                $"the rough placement is not unique: {placement.Inliers} keypoint matches agree on it and {placement.RunnerUpInliers} on another (at least {options.MinimumInlierRatio}x as many must)")
            : null;
    }

    private static string? CorrelationFailure(CorrelationMatch placement, RegistrationOptions options)
    {
        if (placement.MovingToFixed is null)
        {
            return "too few keypoints to place the moving image, and none of its correlation peaks could be verified";
        }

        return placement.Uniqueness < options.MinimumCorrelationUniqueness
            ? FormattableString.Invariant(
                $"too few keypoints to place the moving image, and its correlation search found no unique place: {placement.Score:0.###} there and {placement.RunnerUpScore:0.###} elsewhere (the runner-up must leave at least {options.MinimumCorrelationUniqueness}x as much unexplained); the moving image probably is not in the fixed image")
            : null;
    }

    private static string? AgreementFailure(double? disagreement, RegistrationOptions options) => disagreement switch
    {
        null => "the inverse refinement (fixed into moving) could not be fitted, so the result cannot be verified",
        { } d when d > options.MaximumInverseDisagreementPixels => FormattableString.Invariant(
            $"forward and inverse refinement disagree by {d:0.###} px (at most {options.MaximumInverseDisagreementPixels} px): the match is not consistent"),
        _ => null,
    };

    private static string? QualityFailure(double? quality, RegistrationOptions options) => quality switch
    {
        null => "the registered images cannot be correlated (one of them is flat over the footprint)",
        { } q when q < options.MinimumQuality => FormattableString.Invariant(
            $"quality {q:0.###} (correlation over the footprint) is below the minimum {options.MinimumQuality}: the moving image probably is not in the fixed image"),
        _ => null,
    };

    // The deepest pyramid level at which the moving image's shorter side keeps this many pixels.
    private static int DeepestLevel(Mat moving, CalibratedImage fixedImage, int minimumSize)
    {
        var movingSide = Math.Min(moving.Cols, moving.Rows);
        var fixedSide = Math.Min(fixedImage.Width, fixedImage.Height);
        var level = 0;
        while (movingSide >> (level + 1) >= minimumSize && fixedSide >> (level + 1) >= minimumSize)
        {
            level++;
        }

        return level;
    }

    // The shallowest level at which the moving image's shorter side is at most this many pixels: a similarity has four
    // parameters, and a few hundred thousand flow vectors pin them as well as millions do, at a quarter of the cost.
    private static int FinestLevel(Mat moving, int maximumSize)
    {
        var side = Math.Min(moving.Cols, moving.Rows);
        var level = 0;
        while (side >> level > maximumSize)
        {
            level++;
        }

        return level;
    }

    // The deepest pyramid level at which the fixed image's shorter side keeps this many pixels.
    private static int DeepestLevel(CalibratedImage fixedImage, int minimumSize)
    {
        var side = Math.Min(fixedImage.Width, fixedImage.Height);
        var level = 0;
        while (side >> (level + 1) >= minimumSize)
        {
            level++;
        }

        return level;
    }

    private static double CornerShift(AffineTransform2D before, AffineTransform2D after, Mat moving)
    {
        double right = moving.Cols - 1;
        double bottom = moving.Rows - 1;
        double largest = 0;
        foreach (var (x, y) in new (double, double)[] { (0, 0), (right, 0), (0, bottom), (right, bottom) })
        {
            var (bx, by) = before.Apply(x, y);
            var (ax, ay) = after.Apply(x, y);
            largest = Math.Max(largest, Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by)));
        }

        return largest;
    }

    private static string? Implausible(AffineTransform2D estimate, Mat fixedImage, Mat moving, RegistrationOptions options)
    {
        var scale = estimate.Scale;
        if (scale < options.MinimumScale / 1.5 || scale > options.MaximumScale * 1.5)
        {
            return FormattableString.Invariant($"scale {scale:0.###} is far outside the searched range");
        }

        var (cx, cy) = estimate.Apply((moving.Cols - 1) / 2.0, (moving.Rows - 1) / 2.0);
        return cx < 0 || cy < 0 || cx > fixedImage.Cols - 1 || cy > fixedImage.Rows - 1
            ? "the moving image's centre left the fixed image"
            : null;
    }

    private static void RequireFinite(Volume image, string name)
    {
        foreach (var value in image.Voxels)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("The image holds NaN or infinite values.", name);
            }
        }
    }

    private sealed record Refinement(AffineTransform2D Estimate, bool Converged, int FullResolutionSteps, string? Failure);
}
