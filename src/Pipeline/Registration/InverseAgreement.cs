using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Forward/inverse consistency: the fixed image around the footprint is drawn into the moving image's grid by the
/// inverse of the forward result and refined there (a few flow steps, fixed into moving). At a true match both
/// directions settle on the same transform; at a false one, where the flow only fits by bending, they drift apart.
/// </summary>
internal static class InverseAgreement
{
    private const int Steps = 2;

    private static readonly FarnebackSettings Flow = new(PyramidLevels: 2, WindowSize: 15, Iterations: 3, PolyN: 5, PolySigma: 1.1);

    /// <returns>Mean displacement (fixed pixels, over the moving image) between the forward and the inverse result; null when the inverse cannot be fitted.</returns>
    public static double? Disagreement(ImagePyramid fixedPyramid, ImagePyramid movingPyramid, AffineTransform2D movingToFixed, int level)
    {
        var fixedLevel = fixedPyramid[level];
        var movingLevel = movingPyramid[level];
        var atLevel = ImagePyramid.ToLevel(movingToFixed, level);

        // The fixed image cut to the footprint's bounding box, so its own footprint in the moving grid covers that grid.
        using var footprint = WarpedFootprint.Draw(fixedLevel, movingLevel, atLevel, InterpolationFlags.Linear, margin: 8);
        if (footprint is null)
        {
            return null;
        }

        var box = footprint.Region;
        using var crop = new Mat(fixedLevel, box);
        var cropToMoving = atLevel.Inverse().After(AffineTransform2D.Translation(box.X, box.Y));
        var estimate = cropToMoving;
        for (var step = 0; step < Steps; step++)
        {
            var fit = FlowSimilarityFit.Fit(movingLevel, crop, estimate, Flow, InterpolationFlags.Linear);
            if (!fit.Succeeded)
            {
                return null;
            }

            estimate = fit.Update.After(estimate);
        }

        var inverseMovingToFixed = AffineTransform2D.Translation(box.X, box.Y).After(estimate.Inverse());
        return RegistrationError.MeanDisplacement(atLevel, inverseMovingToFixed, movingLevel.Cols, movingLevel.Rows) * (1 << level);
    }
}
