using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The rough placement (METHOD §7 step 2) by normalised cross-correlation (TM_CCOEFF_NORMED), in two stages:
/// <list type="number">
/// <item>search: every candidate rotation and scale, over the whole fixed image, at a deep pyramid level where this
/// is cheap; the best few distinct peaks are kept;</item>
/// <item>verify: at a finer level, each kept peak is searched again in a small window, at its own angle and scale
/// and half a step either side, and the best becomes the estimate (sub-pixel peak by a parabola).</item>
/// </list>
/// Each template is the moving image turned and scaled about its centre, cut to the largest centred rectangle that
/// stays inside the moving image at every candidate angle, so no template carries empty corners.
/// </summary>
internal static class CoarsePlacement
{
    private const int KeptPeaks = 4;

    /// <exception cref="RegistrationInputException">No candidate template fits in the fixed image.</exception>
    public static CoarseMatch Place(ImagePyramid fixedPyramid, ImagePyramid movingPyramid,
        int searchLevel, int verifyLevel, IReadOnlyList<double> rotationsDegrees, IReadOnlyList<double> scales)
    {
        var maximumAngle = rotationsDegrees.Max(Math.Abs) + Spacing(rotationsDegrees) / 2;
        var candidates = Search(fixedPyramid[searchLevel], movingPyramid[searchLevel], maximumAngle, rotationsDegrees, scales);
        if (candidates.Count == 0)
        {
            throw new RegistrationInputException(FormattableString.Invariant(
                $"The moving image ({movingPyramid[0].Cols} x {movingPyramid[0].Rows} px at the fixed pixel size) does not fit in the fixed image ({fixedPyramid[0].Cols} x {fixedPyramid[0].Rows} px) at any candidate scale."));
        }

        var rotationStep = Spacing(rotationsDegrees);
        var scaleStep = Spacing(scales);
        var radius = (2 << (searchLevel - verifyLevel)) + 2;
        Candidate? best = null;
        foreach (var candidate in candidates)
        {
            var atVerifyLevel = ImagePyramid.ToLevel(ImagePyramid.FromLevel(candidate.Transform, searchLevel), verifyLevel);
            foreach (var rotation in Around(candidate.RotationDegrees, rotationStep))
            {
                foreach (var scale in Around(candidate.Scale, scaleStep))
                {
                    var verified = Verify(fixedPyramid[verifyLevel], movingPyramid[verifyLevel], atVerifyLevel, rotation, scale,
                        maximumAngle, radius);
                    if (verified is { } found && (best is null || found.Score > best.Value.Score))
                    {
                        best = found;
                    }
                }
            }
        }

        var transform = best is { } winner
            ? ImagePyramid.FromLevel(winner.Transform, verifyLevel)
            : ImagePyramid.FromLevel(candidates[0].Transform, searchLevel);

        // The kept peaks are distinct places: the one the verified transform lands on, and the best of the others.
        var searchMoving = movingPyramid[searchLevel];
        var place = Centre(ImagePyramid.ToLevel(transform, searchLevel), searchMoving);
        var ranked = candidates.OrderBy(c => Distance(Centre(c.Transform, searchMoving), place)).ToArray();
        double? runnerUp = ranked.Length > 1 ? ranked.Skip(1).Max(c => c.Score) : null;
        return new CoarseMatch(transform, ranked[0].Score, runnerUp);
    }

    private static List<Candidate> Search(Mat fixedLevel, Mat movingLevel, double maximumAngle,
        IReadOnlyList<double> rotationsDegrees, IReadOnlyList<double> scales)
    {
        var found = new List<Candidate>();
        var separation = Separation(movingLevel);
        foreach (var scale in scales)
        {
            foreach (var rotation in rotationsDegrees)
            {
                using var template = Template(movingLevel, rotation, scale, maximumAngle);
                if (template is null || template.Cols > fixedLevel.Cols || template.Rows > fixedLevel.Rows)
                {
                    continue;
                }

                using var scores = new Mat();
                Cv2.MatchTemplate(fixedLevel, template, scores, TemplateMatchModes.CCoeffNormed);
                // The best and the second-best place of every candidate; near-duplicates are merged below. The second
                // place tells how much the winner stands out from the best match elsewhere.
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

    private static Candidate? Verify(Mat fixedLevel, Mat movingLevel, AffineTransform2D near, double rotation, double scale,
        double maximumAngle, int radius)
    {
        using var template = Template(movingLevel, rotation, scale, maximumAngle);
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

    /// <summary>The moving image turned by <paramref name="rotation"/> and scaled about its centre, cut to the safe inner window.</summary>
    private static Mat? Template(Mat movingLevel, double rotation, double scale, double maximumAngle)
    {
        var inner = InscribedRectangle.Fraction(movingLevel.Cols, movingLevel.Rows, maximumAngle);
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

    private static IEnumerable<double> Around(double value, double step) =>
        step > 0 ? [value - step / 2, value, value + step / 2] : [value];

    private static double Spacing(IReadOnlyList<double> values)
    {
        var sorted = values.Distinct().Order().ToArray();
        return sorted.Length < 2 ? 0 : sorted.Zip(sorted.Skip(1), (a, b) => b - a).Min();
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
