namespace LabelFree.Simulation;

/// <summary>
/// Where the pixels of an image lie on the tissue: pixel (u, v) sits at
/// origin + pixelSize * R(rotation) * (u, v) micrometres, R turning +u toward +v. Pixel centres are at integer
/// (u, v). An upright image is rotation 0; a moving image cut at an angle is the same grid turned.
/// </summary>
public readonly record struct TissueGrid(int Width, int Height, double PixelSizeMicrometres, double RotationRadians, double OriginX, double OriginY)
{
    public static TissueGrid Upright(int width, int height, double pixelSizeMicrometres, double originX = 0, double originY = 0) =>
        new(width, height, pixelSizeMicrometres, 0, originX, originY);

    /// <summary>Tissue position (µm) of pixel coordinates (u, v).</summary>
    public (double X, double Y) ToTissue(double u, double v)
    {
        var (cos, sin) = (Math.Cos(RotationRadians), Math.Sin(RotationRadians));
        return (OriginX + PixelSizeMicrometres * (cos * u - sin * v), OriginY + PixelSizeMicrometres * (sin * u + cos * v));
    }

    /// <summary>Tissue displacement (µm) of one pixel step along u and along v: lets loops walk the grid without trigonometry.</summary>
    public (double UX, double UY, double VX, double VY) Steps()
    {
        var (cos, sin) = (Math.Cos(RotationRadians), Math.Sin(RotationRadians));
        return (PixelSizeMicrometres * cos, PixelSizeMicrometres * sin, -PixelSizeMicrometres * sin, PixelSizeMicrometres * cos);
    }

    /// <summary>Pixel coordinates (u, v) of a tissue position (µm).</summary>
    public (double U, double V) ToPixel(double x, double y)
    {
        var (cos, sin) = (Math.Cos(RotationRadians), Math.Sin(RotationRadians));
        var (dx, dy) = ((x - OriginX) / PixelSizeMicrometres, (y - OriginY) / PixelSizeMicrometres);
        return (cos * dx + sin * dy, -sin * dx + cos * dy);
    }

    /// <summary>The axis-aligned tissue rectangle covered by the image (pixel centres, half a pixel beyond).</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) Bounds()
    {
        var corners = new[]
        {
            ToTissue(-0.5, -0.5), ToTissue(Width - 0.5, -0.5), ToTissue(-0.5, Height - 0.5), ToTissue(Width - 0.5, Height - 0.5),
        };
        return (corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y));
    }
}
