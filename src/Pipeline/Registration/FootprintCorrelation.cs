using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The registration's quality score: Pearson correlation (normalised cross-correlation) between the moving image
/// drawn onto the fixed grid and the fixed image, over the pixels the moving image covers.
/// </summary>
internal static class FootprintCorrelation
{
    /// <returns>The correlation in [-1, 1], or null when the footprint misses the fixed image or either side is flat.</returns>
    public static double? Measure(Mat fixedImage, Mat movingImage, AffineTransform2D movingToFixed)
    {
        using var footprint = WarpedFootprint.Draw(fixedImage, movingImage, movingToFixed, InterpolationFlags.Linear);
        if (footprint is null)
        {
            return null;
        }

        using var fixedRegion = new Mat(fixedImage, footprint.Region);
        using var inside = footprint.ErodedMask(1);
        var moving = MatConversion.ToFloats(footprint.Moving);
        var fixedValues = MatConversion.ToFloats(fixedRegion);
        var mask = MatConversion.ToBytes(inside);
        double count = 0, sumM = 0, sumF = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] != 0)
            {
                count++;
                sumM += moving[i];
                sumF += fixedValues[i];
            }
        }

        if (count < 2)
        {
            return null;
        }

        double meanM = sumM / count, meanF = sumF / count, mm = 0, ff = 0, mf = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] != 0)
            {
                var m = moving[i] - meanM;
                var f = fixedValues[i] - meanF;
                mm += m * m;
                ff += f * f;
                mf += m * f;
            }
        }

        return mm > 0 && ff > 0 ? Math.Clamp(mf / Math.Sqrt(mm * ff), -1, 1) : null;
    }
}
