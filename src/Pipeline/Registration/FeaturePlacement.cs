using OpenCvSharp;
using OpenCvSharp.Features2D;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The rough placement without a hint (METHOD §7 step 2 for any rotation and a wide scale range): AKAZE keypoints,
/// whose descriptors do not change with rotation and scale, are matched between the moving and the fixed image on one
/// pyramid level, and a similarity is fitted to the matches by RANSAC. The best similarity's inliers are then set
/// aside with every match it explains, and RANSAC runs again: the second placement's inliers tell how much the first
/// stands out. A moving image from elsewhere gives a handful of chance agreements for both, a true match tens or
/// hundreds for the first and a handful for the second.
/// </summary>
internal static class FeaturePlacement
{
    // Lowe's ratio test: a match counts only when its best fixed descriptor is clearly closer than the second best.
    private const float RatioTest = 0.9f;
    /// <summary>A third of AKAZE's default response threshold: the benchmark's blurred, noisy moving images gave too few keypoints.</summary>
    public const float DetectorThreshold = 0.0003f;

    /// <summary>
    /// The threshold of a second attempt when too few matches agree: faint or sparse images (a few dim nuclei) keep
    /// their match in keypoints of weaker response.
    /// </summary>
    public const float WeakDetectorThreshold = DetectorThreshold / 4;
    private const int SmallMovingSide = 256;
    private const double RansacThresholdPixels = 3.0;
    private const int RansacIterations = 4000;

    public static FeatureMatch Place(Mat fixedLevel, Mat movingLevel, int level, double minimumScale, double maximumScale, float threshold)
    {
        // Measured on the benchmark's simulated EM/IF scene (150 px footprint in 2048 px, keypoints at full resolution):
        // SIFT found 50-120 inliers but took 5-8 CPU-s on the fixed image; AKAZE 25-55 inliers in 1.1-3 CPU-s; ORB was
        // fastest (0.2 CPU-s) but found only 5-6 inliers, too few to tell a match from chance.
        using var detector = AKAZE.Create(threshold: threshold);
        using var fixed8 = EightBitWindow.Convert(fixedLevel);
        using var moving8 = EightBitWindow.Convert(movingLevel);
        // A small moving image is doubled: its structures then appear one octave up, where the detector keeps them
        // clear of the border. On the simulated EM scene at scale 0.7-0.85 (a 110-130 px footprint) this raised the
        // moving keypoints from 27-51 to 100-135.
        var upsample = Math.Min(movingLevel.Cols, movingLevel.Rows) < SmallMovingSide ? 2.0 : 1.0;
        if (upsample > 1)
        {
            Cv2.Resize(moving8, moving8, new Size(0, 0), 2, 2, InterpolationFlags.Cubic);
        }

        using var fixedDescriptors = new Mat();
        using var movingDescriptors = new Mat();
        detector.DetectAndCompute(fixed8, null, out var fixedPoints, fixedDescriptors);
        detector.DetectAndCompute(moving8, null, out var movingPoints, movingDescriptors);
        if (fixedPoints.Length < 2 || movingPoints.Length < 2)
        {
            return FeatureMatch.None(level, movingPoints.Length, fixedPoints.Length);
        }

        // AKAZE's descriptors are binary strings: compared by Hamming distance.
        using var matcher = new BFMatcher(NormTypes.Hamming);
        var pairs = matcher.KnnMatch(movingDescriptors, fixedDescriptors, 2);
        // One moving keypoint per fixed keypoint (the closest): many moving keypoints on one fixed keypoint are a
        // degenerate "placement" that shrinks the moving image to a point, and RANSAC likes it.
        var closest = new Dictionary<int, DMatch>();
        foreach (var pair in pairs)
        {
            if (pair.Length < 2 || pair[0].Distance >= RatioTest * pair[1].Distance)
            {
                continue;
            }

            // Keypoint sizes scale with the image: a pair whose size ratio is far outside the searched range is chance.
            var ratio = fixedPoints[pair[0].TrainIdx].Size / movingPoints[pair[0].QueryIdx].Size * upsample;
            if (ratio < minimumScale / 2 || ratio > maximumScale * 2)
            {
                continue;
            }

            if (!closest.TryGetValue(pair[0].TrainIdx, out var kept) || pair[0].Distance < kept.Distance)
            {
                closest[pair[0].TrainIdx] = pair[0];
            }
        }

        var from = new List<Point2f>();
        var to = new List<Point2f>();
        foreach (var match in closest.Values)
        {
            var moving = movingPoints[match.QueryIdx].Pt;
            // OpenCV's resize aligns pixel areas: x_doubled = 2 x + 0.5.
            from.Add(upsample > 1 ? new Point2f((moving.X - 0.5f) / 2, (moving.Y - 0.5f) / 2) : moving);
            to.Add(fixedPoints[match.TrainIdx].Pt);
        }

        var best = Fit(from, to, minimumScale, maximumScale);
        if (best is null)
        {
            return FeatureMatch.None(level, movingPoints.Length, fixedPoints.Length) with { Matches = from.Count };
        }

        // Everything the winner explains (within a wider band than RANSAC's) is one placement; what remains is the rest of the world.
        var restFrom = new List<Point2f>();
        var restTo = new List<Point2f>();
        for (var i = 0; i < from.Count; i++)
        {
            var (x, y) = best.Value.Transform.Apply(from[i].X, from[i].Y);
            if (Math.Sqrt((x - to[i].X) * (x - to[i].X) + (y - to[i].Y) * (y - to[i].Y)) > 4 * RansacThresholdPixels)
            {
                restFrom.Add(from[i]);
                restTo.Add(to[i]);
            }
        }

        var runnerUp = Fit(restFrom, restTo, minimumScale, maximumScale);
        return new FeatureMatch(ImagePyramid.FromLevel(best.Value.Transform, level), level, best.Value.Inliers,
            runnerUp?.Inliers ?? 0, from.Count, movingPoints.Length, fixedPoints.Length);
    }

    // RANSAC's best similarity within the searched scales: a best one outside them is set aside with its inliers and
    // RANSAC runs again on the rest, a few times at most.
    private static (AffineTransform2D Transform, int Inliers)? Fit(List<Point2f> from, List<Point2f> to, double minimumScale, double maximumScale)
    {
        var restFrom = from;
        var restTo = to;
        for (var attempt = 0; attempt < 3 && restFrom.Count >= 3; attempt++)
        {
            using var inliers = new Mat();
            using var fitted = Cv2.EstimateAffinePartial2D(InputArray.Create(restFrom), InputArray.Create(restTo), inliers,
                RobustEstimationAlgorithms.RANSAC, RansacThresholdPixels, RansacIterations, 0.999, 10);
            if (fitted is null || fitted.Empty())
            {
                return null;
            }

            var transform = MatConversion.ToTransform(fitted);
            if (transform.Scale >= minimumScale / 1.2 && transform.Scale <= maximumScale * 1.2)
            {
                return (transform, Cv2.CountNonZero(inliers));
            }

            var flags = MatConversion.ToBytes(inliers);
            var nextFrom = new List<Point2f>();
            var nextTo = new List<Point2f>();
            for (var i = 0; i < restFrom.Count; i++)
            {
                if (flags[i] == 0)
                {
                    nextFrom.Add(restFrom[i]);
                    nextTo.Add(restTo[i]);
                }
            }

            (restFrom, restTo) = (nextFrom, nextTo);
        }

        return null;
    }
}
