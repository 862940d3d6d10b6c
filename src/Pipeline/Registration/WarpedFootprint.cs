using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The moving image drawn onto the fixed grid by a moving-to-fixed transform, over the bounding box of its footprint
/// (clipped to the fixed image), with a mask of the pixels the moving image covers.
/// </summary>
internal sealed class WarpedFootprint : IDisposable
{
    private WarpedFootprint(Rect region, Mat moving, Mat mask)
    {
        Region = region;
        Moving = moving;
        Mask = mask;
    }

    /// <summary>The box in fixed-image pixels.</summary>
    public Rect Region { get; }

    /// <summary>The warped moving image, float32, Region-sized.</summary>
    public Mat Moving { get; }

    /// <summary>255 where the moving image covers the pixel, 0 elsewhere.</summary>
    public Mat Mask { get; }

    /// <returns>Null when the footprint does not overlap the fixed image.</returns>
    public static WarpedFootprint? Draw(Mat fixedImage, Mat movingImage, AffineTransform2D movingToFixed,
        InterpolationFlags interpolation, int margin = 2)
    {
        var region = Bounds(movingToFixed, movingImage.Cols, movingImage.Rows, margin)
            .Intersect(new Rect(0, 0, fixedImage.Cols, fixedImage.Rows));
        if (region.Width < 2 || region.Height < 2)
        {
            return null;
        }

        var regionToMoving = movingToFixed.Inverse().After(AffineTransform2D.Translation(region.X, region.Y));
        using var map = MatConversion.ToMat(regionToMoving);
        var moving = new Mat();
        Cv2.WarpAffine(movingImage, moving, map, region.Size, interpolation | InterpolationFlags.WarpInverseMap,
            BorderTypes.Replicate);
        using var cover = new Mat(movingImage.Rows, movingImage.Cols, MatType.CV_8UC1, Scalar.All(255));
        var mask = new Mat();
        Cv2.WarpAffine(cover, mask, map, region.Size, InterpolationFlags.Nearest | InterpolationFlags.WarpInverseMap,
            BorderTypes.Constant, Scalar.All(0));
        return new WarpedFootprint(region, moving, mask);
    }

    /// <summary>The mask shrunk by <paramref name="pixels"/> on every side, so samples stay clear of the footprint's edge.</summary>
    public Mat ErodedMask(int pixels)
    {
        var eroded = new Mat();
        if (pixels <= 0)
        {
            Mask.CopyTo(eroded);
            return eroded;
        }

        using var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(2 * pixels + 1, 2 * pixels + 1));
        Cv2.Erode(Mask, eroded, kernel, borderType: BorderTypes.Constant, borderValue: Scalar.All(0));
        return eroded;
    }

    public void Dispose()
    {
        Moving.Dispose();
        Mask.Dispose();
    }

    private static Rect Bounds(AffineTransform2D transform, int width, int height, int margin)
    {
        var corners = new[]
        {
            transform.Apply(0, 0), transform.Apply(width - 1, 0),
            transform.Apply(0, height - 1), transform.Apply(width - 1, height - 1),
        };
        var left = (int)Math.Floor(corners.Min(c => c.X)) - margin;
        var top = (int)Math.Floor(corners.Min(c => c.Y)) - margin;
        var right = (int)Math.Ceiling(corners.Max(c => c.X)) + margin + 1;
        var bottom = (int)Math.Ceiling(corners.Max(c => c.Y)) + margin + 1;
        return new Rect(left, top, right - left, bottom - top);
    }
}
