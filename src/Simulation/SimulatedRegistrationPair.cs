using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Simulation;

/// <summary>
/// A moving image cut out of a fixed image through a known similarity, then degraded: the ground truth for the
/// registration benchmark and tests.
/// </summary>
/// <param name="Moving">The moving image and its pixel size.</param>
/// <param name="Fixed">The fixed image and its pixel size.</param>
/// <param name="Truth">The moving-to-fixed transform the moving image was cut with.</param>
public sealed record SimulatedRegistrationPair(CalibratedImage Moving, CalibratedImage Fixed, AffineTransform2D Truth)
{
    /// <summary>
    /// Draws a transform (rotation within ±<paramref name="maximumRotationDegrees"/>, scale relative to the pixel sizes
    /// within <paramref name="minimumScale"/>..<paramref name="maximumScale"/>, translation anywhere that keeps the
    /// whole footprint inside the fixed image) and samples the moving image from the fixed one with bicubic interpolation.
    /// The moving image then gets <paramref name="degradation"/>; the fixed image gets <paramref name="fixedDegradation"/>
    /// afterwards, when given (e.g. its own noise, so the two do not share one noise pattern).
    /// </summary>
    public static SimulatedRegistrationPair Cut(CalibratedImage fixedImage, int movingWidth, int movingHeight,
        double movingPixelSizeUm, Random random, ImageDegradation degradation, ImageDegradation? fixedDegradation = null,
        double maximumRotationDegrees = 5, double minimumScale = 0.9, double maximumScale = 1.1)
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(degradation);
        var rotation = maximumRotationDegrees * (2 * random.NextDouble() - 1);
        var relativeScale = minimumScale + (maximumScale - minimumScale) * random.NextDouble();
        return CutAt(fixedImage, movingWidth, movingHeight, movingPixelSizeUm, rotation, relativeScale, random, degradation, fixedDegradation);
    }

    /// <summary>
    /// Like <see cref="Cut"/>, for a square moving image whose side is drawn too: rotation and scale first, then a
    /// side between <paramref name="minimumSide"/> and <paramref name="maximumSide"/> moving pixels, lowered to the
    /// largest whose turned footprint still fits in the fixed image.
    /// </summary>
    /// <exception cref="ArgumentException">Not even <paramref name="minimumSide"/> fits at the drawn rotation and scale.</exception>
    public static SimulatedRegistrationPair CutSquare(CalibratedImage fixedImage, int minimumSide, int maximumSide,
        double movingPixelSizeUm, Random random, ImageDegradation degradation, ImageDegradation? fixedDegradation,
        double maximumRotationDegrees, double minimumScale, double maximumScale)
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(random);
        var rotation = maximumRotationDegrees * (2 * random.NextDouble() - 1);
        var relativeScale = minimumScale + (maximumScale - minimumScale) * random.NextDouble();
        var scale = relativeScale * movingPixelSizeUm / fixedImage.PixelSizeUm;
        var radians = rotation * Math.PI / 180;
        var turned = Math.Abs(Math.Cos(radians)) + Math.Abs(Math.Sin(radians));
        var fits = (int)Math.Floor((Math.Min(fixedImage.Width, fixedImage.Height) - 2) / (scale * turned));
        var side = minimumSide + (int)Math.Round((maximumSide - minimumSide) * random.NextDouble());
        return CutAt(fixedImage, Math.Min(side, fits), Math.Min(side, fits), movingPixelSizeUm, rotation, relativeScale, random,
            degradation, fixedDegradation);
    }

    private static SimulatedRegistrationPair CutAt(CalibratedImage fixedImage, int movingWidth, int movingHeight,
        double movingPixelSizeUm, double rotation, double relativeScale, Random random, ImageDegradation degradation,
        ImageDegradation? fixedDegradation)
    {
        var scale = relativeScale * movingPixelSizeUm / fixedImage.PixelSizeUm;
        var centre = ((movingWidth - 1) / 2.0, (movingHeight - 1) / 2.0);
        var aboutOrigin = AffineTransform2D.SimilarityAbout(scale, rotation, centre, (0, 0));
        var corners = new[]
        {
            aboutOrigin.Apply(0, 0), aboutOrigin.Apply(movingWidth - 1, 0),
            aboutOrigin.Apply(0, movingHeight - 1), aboutOrigin.Apply(movingWidth - 1, movingHeight - 1),
        };
        var halfWidth = corners.Max(c => Math.Abs(c.X));
        var halfHeight = corners.Max(c => Math.Abs(c.Y));
        var roomX = fixedImage.Width - 1 - 2 * halfWidth;
        var roomY = fixedImage.Height - 1 - 2 * halfHeight;
        if (movingWidth < 8 || movingHeight < 8 || roomX < 0 || roomY < 0)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"A {movingWidth} x {movingHeight} moving image at scale {scale:0.###} does not fit in the {fixedImage.Width} x {fixedImage.Height} fixed image."));
        }

        var target = (halfWidth + roomX * random.NextDouble(), halfHeight + roomY * random.NextDouble());
        var truth = AffineTransform2D.SimilarityAbout(scale, rotation, centre, target);
        var cut = Sample(fixedImage.Image, truth, movingWidth, movingHeight);
        var moving = new CalibratedImage(degradation.Apply(cut, random), movingPixelSizeUm);
        var fixedOut = fixedDegradation is null
            ? fixedImage
            : new CalibratedImage(fixedDegradation.Apply(fixedImage.Image, random), fixedImage.PixelSizeUm);
        return new SimulatedRegistrationPair(moving, fixedOut, truth);
    }

    /// <summary>moving(x, y) = fixed(truth(x, y)), bicubic.</summary>
    public static Volume Sample(Volume fixedImage, AffineTransform2D movingToFixed, int movingWidth, int movingHeight)
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        OpenCvRuntime.EnsureLoaded();
        using var source = MatConversion.ToMat(fixedImage);
        using var map = MatConversion.ToMat(movingToFixed);
        using var moving = new Mat();
        // WARP_INVERSE_MAP: the matrix takes destination (moving) pixels to source (fixed) pixels, which is the truth itself.
        Cv2.WarpAffine(source, moving, map, new Size(movingWidth, movingHeight),
            InterpolationFlags.Cubic | InterpolationFlags.WarpInverseMap, BorderTypes.Reflect101);
        return MatConversion.ToVolume(moving);
    }
}
