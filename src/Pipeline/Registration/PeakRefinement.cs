using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Refines the coarse translation at full resolution: the centre of the moving image, drawn where the current estimate
/// puts it, is matched against the fixed image within a few pixels of that place, and the peak is located to sub-pixel
/// precision. The centre is used because a small rotation or scale error moves it least.
/// </summary>
internal static class PeakRefinement
{
    private const int HalfSize = 128;

    /// <returns>The estimate with its translation corrected, or the estimate unchanged when the window leaves the fixed image.</returns>
    public static AffineTransform2D Refine(Mat fixedImage, Mat movingImage, AffineTransform2D movingToFixed, int searchRadius)
    {
        var half = (int)Math.Min(HalfSize, 0.3 * movingToFixed.Scale * Math.Min(movingImage.Cols, movingImage.Rows));
        if (half < 4)
        {
            return movingToFixed;
        }

        var (cx, cy) = movingToFixed.Apply((movingImage.Cols - 1) / 2.0, (movingImage.Rows - 1) / 2.0);
        var size = 2 * half + 1;
        var left = (int)Math.Round(cx) - half;
        var top = (int)Math.Round(cy) - half;
        var search = new Rect(left - searchRadius, top - searchRadius, size + 2 * searchRadius, size + 2 * searchRadius);
        if (search.Left < 0 || search.Top < 0 || search.Right > fixedImage.Cols || search.Bottom > fixedImage.Rows)
        {
            return movingToFixed;
        }

        var windowToMoving = movingToFixed.Inverse().After(AffineTransform2D.Translation(left, top));
        using var map = MatConversion.ToMat(windowToMoving);
        using var template = new Mat();
        Cv2.WarpAffine(movingImage, template, map, new Size(size, size),
            InterpolationFlags.Cubic | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        using var region = new Mat(fixedImage, search);
        using var scores = new Mat();
        Cv2.MatchTemplate(region, template, scores, TemplateMatchModes.CCoeffNormed);
        var peak = CorrelationPeak.Find(scores);
        return AffineTransform2D.Translation(peak.X - searchRadius, peak.Y - searchRadius).After(movingToFixed);
    }
}
