using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The rough placement by normalised cross-correlation (TM_CCOEFF_NORMED) when the moving image is too small for
/// keypoints (an 80 px footprint gives a dozen matches, too few to tell a match from chance). Two stages:
/// <list type="number">
/// <item>search: the whole circle in steps of <see cref="RotationStepDegrees"/> and the scale range in steps of
/// <see cref="ScaleStep"/>, over the whole fixed image, on a pyramid level where the moving image keeps
/// <see cref="SearchMinimumSize"/> pixels; the best few distinct peaks are kept;</item>
/// <item>verify: on a finer level, each kept peak is searched again in a small window, at its own angle and scale
/// and half a step either side; the best verified peak becomes the estimate.</item>
/// </list>
/// Each template is the moving image turned and scaled about its centre, cut to the centred rectangle that stays
/// inside it at every angle, so no template carries empty corners. The best verified correlation anywhere else (a
/// peak more than a quarter of the moving image away) is the runner-up: a moving image from elsewhere correlates
/// about as well at several places.
/// </summary>
internal static class CorrelationPlacement
{
    /// <summary>
    /// Below this shorter side (fixed pixels), the moving image is placed by correlation when keypoints cannot place it.
    /// In the benchmark keypoints failed on footprints up to 203 px (a 252 px fibre crop: 3 of 85 matches agreed).
    /// </summary>
    public const int MaximumMovingSize = 320;

    /// <summary>The whole fixed image is searched on the deepest level where the moving image keeps this many pixels.</summary>
    public const int SearchMinimumSize = 32;

    /// <summary>The kept peaks are verified on the deepest level where the moving image keeps this many pixels.</summary>
    public const int VerifyMinimumSize = 64;

    private const double RotationStepDegrees = 8;
    private const double ScaleStep = 1.12;
    private const int KeptPeaks = 6;

    /// <exception cref="RegistrationInputException">No template fits in the fixed image, or every one is too small to correlate.</exception>
    public static CorrelationMatch Place(ImagePyramid fixedPyramid, ImagePyramid movingPyramid, int searchLevel, int verifyLevel,
        double minimumScale, double maximumScale)
    {
        var rotations = Enumerable.Range(0, (int)Math.Round(360 / RotationStepDegrees)).Select(i => -180 + i * RotationStepDegrees).ToArray();
        var steps = Math.Max(1, (int)Math.Ceiling(Math.Log(maximumScale / minimumScale) / Math.Log(ScaleStep)));
        var scales = Enumerable.Range(0, steps + 1).Select(i => minimumScale * Math.Pow(maximumScale / minimumScale, i / (double)steps)).ToArray();
        var scaleStep = Math.Pow(maximumScale / minimumScale, 1.0 / steps);

        var candidates = Search(fixedPyramid[searchLevel], movingPyramid[searchLevel], rotations, scales);
        if (candidates.Count == 0)
        {
            throw new RegistrationInputException(FormattableString.Invariant(
                $"The moving image ({movingPyramid[0].Cols} x {movingPyramid[0].Rows} px at the fixed pixel size) does not fit in the fixed image ({fixedPyramid[0].Cols} x {fixedPyramid[0].Rows} px) at any scale searched, or is too small to place."));
        }
        // Every kept peak is verified: the runner-up is the best verified peak elsewhere, measured on the finer level
        // as the winner is (on the search level everything smooth correlates well: 0.93 at the true place, 0.90 at others).
        var radius = (2 << (searchLevel - verifyLevel)) + 2;
        var verifiedPeaks = new List<Candidate>();
        foreach (var candidate in candidates)
        {
            var atVerifyLevel = ImagePyramid.ToLevel(ImagePyramid.FromLevel(candidate.Transform, searchLevel), verifyLevel);
            Candidate? best = null;
            foreach (var rotation in new[] { candidate.RotationDegrees - RotationStepDegrees / 2, candidate.RotationDegrees, candidate.RotationDegrees + RotationStepDegrees / 2 })
            {
                foreach (var scale in new[] { candidate.Scale / Math.Sqrt(scaleStep), candidate.Scale, candidate.Scale * Math.Sqrt(scaleStep) })
                {
                    var verified = Verify(fixedPyramid[verifyLevel], movingPyramid[verifyLevel], atVerifyLevel, rotation, scale, radius);
                    if (verified is { } found && (best is null || found.Score > best.Value.Score))
                    {
                        best = found;
                    }
                }
            }

            if (best is { } kept)
            {
                verifiedPeaks.Add(kept);
            }
        }

        if (verifiedPeaks.Count == 0)
        {
            return new CorrelationMatch(null, 0, null);
        }

        var movingLevel = movingPyramid[verifyLevel];
        var winner = verifiedPeaks.MaxBy(c => c.Score);
        var place = Centre(winner.Transform, movingLevel);
        var separation = Separation(movingLevel);
        var others = verifiedPeaks.Where(c => Distance(Centre(c.Transform, movingLevel), place) > separation).ToArray();
        double? runnerUp = others.Length > 0 ? others.Max(c => c.Score) : null;
        return new CorrelationMatch(ImagePyramid.FromLevel(winner.Transform, verifyLevel), winner.Score, runnerUp);
    }

    private static List<Candidate> Search(Mat fixedLevel, Mat movingLevel, double[] rotationsDegrees, double[] scales)
    {
        var found = new List<Candidate>();
        var separation = Separation(movingLevel);
        foreach (var scale in scales)
        {
            foreach (var rotation in rotationsDegrees)
            {
                using var template = Template(movingLevel, rotation, scale);
                if (template is null || template.Cols > fixedLevel.Cols || template.Rows > fixedLevel.Rows)
                {
                    continue;
                }

                using var scores = new Mat();
                Cv2.MatchTemplate(fixedLevel, template, scores, TemplateMatchModes.CCoeffNormed);
                // The best and the second-best place of every candidate; near-duplicates are merged below.
                var peak = CorrelationPeak.Find(scores);
                found.Add(new Candidate(Placed(movingLevel, template, rotation, scale, peak.X, peak.Y), rotation, scale, peak.Score));
                Suppress(scores, peak, separation);
                var second = CorrelationPeak.Find(scores);
                found.Add(new Candidate(Placed(movingLevel, template, rotation, scale, second.X, second.Y), rotation, scale, second.Score));
            }
        }

        var distinct = new List<Candidate>();
        foreach (var candidate in found.OrderByDescending(c => c.Score))
        {
            var (x, y) = Centre(candidate.Transform, movingLevel);
            if (distinct.All(kept => Distance(Centre(kept.Transform, movingLevel), (x, y)) > separation))
            {
                distinct.Add(candidate);
                if (distinct.Count == KeptPeaks)
                {
                    break;
                }
            }
        }

        return distinct;
    }

    private static Candidate? Verify(Mat fixedLevel, Mat movingLevel, AffineTransform2D near, double rotation, double scale, int radius)
    {
        using var template = Template(movingLevel, rotation, scale);
        if (template is null)
        {
            return null;
        }

        // Where this candidate would put the template's top-left corner, from the position of the moving centre.
        var (cx, cy) = Centre(near, movingLevel);
        var left = (int)Math.Round(cx - (template.Cols - 1) / 2.0) - radius;
        var top = (int)Math.Round(cy - (template.Rows - 1) / 2.0) - radius;
        var window = new Rect(left, top, template.Cols + 2 * radius, template.Rows + 2 * radius)
            .Intersect(new Rect(0, 0, fixedLevel.Cols, fixedLevel.Rows));
        if (window.Width < template.Cols || window.Height < template.Rows)
        {
            return null;
        }

        using var region = new Mat(fixedLevel, window);
        using var scores = new Mat();
        Cv2.MatchTemplate(region, template, scores, TemplateMatchModes.CCoeffNormed);
        var peak = CorrelationPeak.Find(scores);
        var transform = Placed(movingLevel, template, rotation, scale, peak.X + window.X, peak.Y + window.Y);
        return new Candidate(transform, rotation, scale, peak.Score);
    }

    // Peaks closer than a quarter of the moving image's side are one place seen twice.
    private static double Separation(Mat movingLevel) => 0.25 * Math.Min(movingLevel.Cols, movingLevel.Rows);

    private static void Suppress(Mat scores, CorrelationPeak peak, double radius)
    {
        var r = (int)Math.Ceiling(radius);
        var box = new Rect((int)Math.Round(peak.X) - r, (int)Math.Round(peak.Y) - r, 2 * r + 1, 2 * r + 1)
            .Intersect(new Rect(0, 0, scores.Cols, scores.Rows));
        using var region = new Mat(scores, box);
        region.SetTo(Scalar.All(-1));
    }

    /// <summary>
    /// The moving image turned by <paramref name="rotation"/> and scaled about its centre, cut to the centred window
    /// that stays inside the moving image at any angle (its corners on the moving image's inscribed circle).
    /// </summary>
    private static Mat? Template(Mat movingLevel, double rotation, double scale)
    {
        var inner = Math.Min(movingLevel.Cols, movingLevel.Rows) / Math.Sqrt((double)movingLevel.Cols * movingLevel.Cols + (double)movingLevel.Rows * movingLevel.Rows);
        var width = (int)Math.Floor(inner * scale * movingLevel.Cols);
        var height = (int)Math.Floor(inner * scale * movingLevel.Rows);
        if (width < 8 || height < 8)
        {
            return null;
        }

        var windowToMoving = AffineTransform2D.SimilarityAbout(1 / scale, -rotation, WindowCentre(width, height), Centre(movingLevel));
        using var map = MatConversion.ToMat(windowToMoving);
        var template = new Mat();
        Cv2.WarpAffine(movingLevel, template, map, new Size(width, height),
            InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        return template;
    }

    // The template's top-left corner at (left, top) in the fixed image: its centre is where the moving centre goes.
    private static AffineTransform2D Placed(Mat movingLevel, Mat template, double rotation, double scale, double left, double top)
    {
        var (wx, wy) = WindowCentre(template.Cols, template.Rows);
        return AffineTransform2D.SimilarityAbout(scale, rotation, Centre(movingLevel), (left + wx, top + wy));
    }

    private static (double X, double Y) Centre(Mat image) => WindowCentre(image.Cols, image.Rows);

    private static (double X, double Y) Centre(AffineTransform2D transform, Mat movingLevel)
    {
        var (x, y) = Centre(movingLevel);
        return transform.Apply(x, y);
    }

    private static (double X, double Y) WindowCentre(int width, int height) => ((width - 1) / 2.0, (height - 1) / 2.0);

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private readonly record struct Candidate(AffineTransform2D Transform, double RotationDegrees, double Scale, double Score);
}
