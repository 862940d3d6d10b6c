using System.Runtime.InteropServices;
using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// One refinement step (METHOD §7 step 3): Farneback optical flow from the moving image, drawn where the current
/// estimate puts it, to the fixed image; then a similarity fitted robustly to the flow at pixels with structure
/// (RANSAC for a start, then Tukey-reweighted least squares over all samples). The fitted map takes the current
/// footprint to where the fixed image says it belongs, so the new estimate is fit ∘ current.
/// </summary>
internal static class FlowSimilarityFit
{
    private const int CandidateSamples = 8000;
    private const double RansacThresholdPixels = 1.0;
    private const int MinimumInliers = 24;
    private const float StrengthFraction = 0.1f;

    public static FlowFitResult Fit(Mat fixedImage, Mat movingImage, AffineTransform2D movingToFixed,
        FarnebackSettings settings, InterpolationFlags interpolation)
    {
        // Flow is measured only where the moving image covers every pixel: an edge of the footprint (or noise that
        // stops at it) has no counterpart in the fixed image, and the flow it causes there reads as a false expansion.
        var region = InscribedRectangle.Within(movingToFixed, movingImage.Cols, movingImage.Rows)
            .Intersect(new Rect(0, 0, fixedImage.Cols, fixedImage.Rows));
        var margin = settings.EdgeMargin;
        if (region.Width <= 2 * margin + 4 || region.Height <= 2 * margin + 4)
        {
            return FlowFitResult.Failed("the moving image's footprint inside the fixed image is too small for optical flow");
        }

        using var moving = new Mat();
        using (var map = MatConversion.ToMat(movingToFixed.Inverse().After(AffineTransform2D.Translation(region.X, region.Y))))
        {
            Cv2.WarpAffine(movingImage, moving, map, region.Size, interpolation | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        }

        using var fixedRegion = new Mat(fixedImage, region);
        using var moving8 = EightBitWindow.Convert(moving);
        using var fixed8 = EightBitWindow.Convert(fixedRegion);
        using var flow = new Mat();
        Cv2.CalcOpticalFlowFarneback(moving8, fixed8, flow, 0.5, settings.PyramidLevels, settings.WindowSize,
            settings.Iterations, settings.PolyN, settings.PolySigma, OpticalFlowFlags.None);
        var (from, to) = Samples(moving8, flow, region, margin, settings.WindowSize);
        if (from.Length < MinimumInliers)
        {
            return FlowFitResult.Failed($"only {from.Length} pixels with structure inside the footprint");
        }

        using var inliers = new Mat();
        using var fitted = Cv2.EstimateAffinePartial2D(InputArray.Create(from), InputArray.Create(to), inliers,
            RobustEstimationAlgorithms.RANSAC, RansacThresholdPixels, 2000, 0.995, 10);
        if (fitted is null || fitted.Empty())
        {
            return FlowFitResult.Failed("no similarity fits the optical flow");
        }

        var inlierCount = Cv2.CountNonZero(inliers);
        if (inlierCount < MinimumInliers)
        {
            return FlowFitResult.Failed($"only {inlierCount} of {from.Length} flow samples agree on one similarity");
        }

        var refined = RobustSimilarity.Fit(from, to, MatConversion.ToTransform(fitted));
        return FlowFitResult.Fitted(refined, from.Length, inlierCount);
    }

    // Grid samples at least the flow window's reach from the region's edge, where the flow is trustworthy: the
    // structure tensor over the flow's window must be strong in both directions (its smaller eigenvalue at least a
    // fraction of the strongest seen). Flat background and noise give near-zero flow, and along a straight fibre only
    // the normal component is known; either would pull the fitted update towards zero.
    private static (Point2f[] From, Point2f[] To) Samples(Mat moving8, Mat flow, Rect region, int margin, int windowSize)
    {
        using var strength = new Mat();
        Cv2.CornerMinEigenVal(moving8, strength, windowSize, 3);
        var tensor = MatConversion.ToFloats(strength);
        var flowValues = new float[flow.Rows * flow.Cols * 2];
        Marshal.Copy(flow.Data, flowValues, 0, flowValues.Length);

        var width = moving8.Cols;
        var height = moving8.Rows;
        var inside = (double)(width - 2 * margin) * (height - 2 * margin);
        var step = Math.Max(1, (int)Math.Sqrt(inside / CandidateSamples));
        var candidates = new List<(int Index, float Strength)>();
        for (var y = margin; y < height - margin; y += step)
        {
            for (var x = margin; x < width - margin; x += step)
            {
                var index = y * width + x;
                if (tensor[index] > 0)
                {
                    candidates.Add((index, tensor[index]));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return ([], []);
        }

        var strongest = candidates.Select(c => c.Strength).OrderBy(g => g).ElementAt((int)(0.99 * (candidates.Count - 1)));
        var chosen = candidates.Where(c => c.Strength >= StrengthFraction * strongest).ToArray();
        var from = new Point2f[chosen.Length];
        var to = new Point2f[chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            var index = chosen[i].Index;
            var x = index % width;
            var y = index / width;
            from[i] = new Point2f(x + region.X, y + region.Y);
            to[i] = new Point2f(from[i].X + flowValues[2 * index], from[i].Y + flowValues[2 * index + 1]);
        }

        return (from, to);
    }
}
