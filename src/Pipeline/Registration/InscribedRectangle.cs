using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>The largest centred, axis-aligned rectangle inside a turned and scaled image: the part of its footprint with no corners missing.</summary>
internal static class InscribedRectangle
{
    /// <summary>
    /// The largest k such that the centred, k-scaled W x H rectangle, turned by up to ±<paramref name="angleDegrees"/>,
    /// stays inside the W x H image.
    /// </summary>
    public static double Fraction(int width, int height, double angleDegrees)
    {
        var radians = angleDegrees * Math.PI / 180.0;
        var cos = Math.Abs(Math.Cos(radians));
        var sin = Math.Abs(Math.Sin(radians));
        return Math.Min(width / (width * cos + height * sin), height / (width * sin + height * cos));
    }

    /// <summary>The axis-aligned rectangle, in fixed pixels, that lies inside the footprint of the moving image under the transform.</summary>
    public static Rect Within(AffineTransform2D movingToFixed, int movingWidth, int movingHeight)
    {
        var fraction = Fraction(movingWidth, movingHeight, movingToFixed.RotationDegrees);
        var (cx, cy) = movingToFixed.Apply((movingWidth - 1) / 2.0, (movingHeight - 1) / 2.0);
        // One pixel less on each side keeps interpolation clear of the moving image's own border.
        var width = (int)Math.Floor(fraction * movingToFixed.Scale * (movingWidth - 1)) - 2;
        var height = (int)Math.Floor(fraction * movingToFixed.Scale * (movingHeight - 1)) - 2;
        return new Rect((int)Math.Ceiling(cx - width / 2.0), (int)Math.Ceiling(cy - height / 2.0), Math.Max(width, 0), Math.Max(height, 0));
    }
}
