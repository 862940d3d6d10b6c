using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Gaussian pyramid by OpenCV's pyrDown. Pixel i of level l+1 is centred on pixel 2i of level l, so a point x at
/// level 0 sits at x / 2^l at level l: a similarity keeps its linear part across levels and only the translation scales.
/// </summary>
internal sealed class ImagePyramid : IDisposable
{
    private readonly List<Mat> _levels;

    /// <param name="baseLevel">Level 0; the pyramid owns it from now on.</param>
    public ImagePyramid(Mat baseLevel, int levels)
    {
        _levels = [baseLevel];
        for (var level = 1; level < levels; level++)
        {
            var next = new Mat();
            Cv2.PyrDown(_levels[^1], next);
            _levels.Add(next);
        }
    }

    public int Count => _levels.Count;

    public Mat this[int level] => _levels[level];

    /// <summary>A level-0 transform expressed in level-<paramref name="level"/> pixels.</summary>
    public static AffineTransform2D ToLevel(AffineTransform2D levelZero, int level)
    {
        var factor = 1.0 / (1 << level);
        return levelZero with { M02 = levelZero.M02 * factor, M12 = levelZero.M12 * factor };
    }

    public static AffineTransform2D FromLevel(AffineTransform2D atLevel, int level)
    {
        var factor = (double)(1 << level);
        return atLevel with { M02 = atLevel.M02 * factor, M12 = atLevel.M12 * factor };
    }

    public void Dispose()
    {
        foreach (var level in _levels)
        {
            level.Dispose();
        }

        _levels.Clear();
    }
}
