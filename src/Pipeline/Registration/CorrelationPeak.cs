using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>The maximum of a template-matching score map, to sub-pixel precision by a parabola through its neighbours on each axis.</summary>
internal readonly record struct CorrelationPeak(double X, double Y, double Score)
{
    public static CorrelationPeak Find(Mat scores)
    {
        // Flat windows can leave NaN in OpenCV's normalised scores; they must not win.
        Cv2.PatchNaNs(scores, -1);
        Cv2.MinMaxLoc(scores, out _, out double maximum, out _, out Point location);
        var x = location.X + Vertex(scores, location, 1, 0);
        var y = location.Y + Vertex(scores, location, 0, 1);
        return new CorrelationPeak(x, y, maximum);
    }

    // Vertex of the parabola through f(-1), f(0), f(+1); zero at the border, where one side is missing.
    private static double Vertex(Mat scores, Point at, int dx, int dy)
    {
        var before = new Point(at.X - dx, at.Y - dy);
        var after = new Point(at.X + dx, at.Y + dy);
        if (before.X < 0 || before.Y < 0 || after.X >= scores.Cols || after.Y >= scores.Rows)
        {
            return 0;
        }

        double left = scores.At<float>(before.Y, before.X);
        double centre = scores.At<float>(at.Y, at.X);
        double right = scores.At<float>(after.Y, after.X);
        var curvature = left - 2 * centre + right;
        if (curvature >= 0)
        {
            return 0;
        }

        return Math.Clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
    }
}
