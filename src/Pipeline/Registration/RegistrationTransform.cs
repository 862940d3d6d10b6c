namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Where a moving image lies in a fixed image. <see cref="MovingToFixed"/> maps a moving pixel position (x, y), in
/// pixels of the moving image as given (before any resampling), to fixed-image pixel coordinates.
/// Convention (OpenCV's): pixel centres sit on integer coordinates, (0, 0) is the centre of the top-left pixel,
/// x runs along columns and y down the rows. To draw the moving image onto the fixed grid with OpenCV, pass this
/// matrix to warpAffine with WARP_INVERSE_MAP unset (OpenCV inverts it), or its inverse with WARP_INVERSE_MAP set.
/// </summary>
public sealed record RegistrationTransform
{
    public RegistrationTransform(AffineTransform2D movingToFixed, double? movingPixelSizeUm = null, double? fixedPixelSizeUm = null)
    {
        if (!movingToFixed.IsFinite || Math.Abs(movingToFixed.Determinant) < 1e-12)
        {
            throw new ArgumentException($"A registration transform must be finite and invertible, got {movingToFixed}.", nameof(movingToFixed));
        }

        if (movingPixelSizeUm is { } moving && !(double.IsFinite(moving) && moving > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(movingPixelSizeUm), $"Pixel size must be finite and positive, got {moving}.");
        }

        if (fixedPixelSizeUm is { } fixedSize && !(double.IsFinite(fixedSize) && fixedSize > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fixedPixelSizeUm), $"Pixel size must be finite and positive, got {fixedSize}.");
        }

        MovingToFixed = movingToFixed;
        MovingPixelSizeUm = movingPixelSizeUm;
        FixedPixelSizeUm = fixedPixelSizeUm;
    }

    public AffineTransform2D MovingToFixed { get; }

    /// <summary>The moving image's pixel size in µm, when known (informative: the matrix is in pixels).</summary>
    public double? MovingPixelSizeUm { get; }

    /// <summary>The fixed image's pixel size in µm, when known.</summary>
    public double? FixedPixelSizeUm { get; }

    /// <summary>Fixed pixels per moving pixel (0.1 for a 10 nm/px moving image in a 100 nm/px fixed image at true size).</summary>
    public double Scale => MovingToFixed.Scale;

    /// <summary>
    /// The scale beyond what the pixel sizes explain: 1 when the moving image has exactly its stated size in the fixed
    /// image. Null when a pixel size is unknown.
    /// </summary>
    public double? RelativeScale => MovingPixelSizeUm is { } moving && FixedPixelSizeUm is { } fixedSize
        ? Scale * fixedSize / moving
        : null;

    /// <summary>Degrees, positive from +x towards +y (clockwise on screen, since y points down).</summary>
    public double RotationDegrees => MovingToFixed.RotationDegrees;

    /// <summary>Fixed-image x of the moving image's top-left pixel centre (the matrix's translation column).</summary>
    public double TranslationX => MovingToFixed.M02;

    /// <summary>Fixed-image y of the moving image's top-left pixel centre.</summary>
    public double TranslationY => MovingToFixed.M12;
}
