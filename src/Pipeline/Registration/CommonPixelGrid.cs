using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The moving image resampled to the fixed image's pixel size, with the exact map from moving pixels to the
/// resampled grid. OpenCV's resize aligns pixel areas (x_resampled = (x + 0.5) * r - 0.5 with r = new width / old
/// width, per axis), so the map is affine and composes exactly with the registration in the common grid.
/// </summary>
internal sealed class CommonPixelGrid : IDisposable
{
    private CommonPixelGrid(Mat image, AffineTransform2D movingToCommon)
    {
        Image = image;
        MovingToCommon = movingToCommon;
    }

    public Mat Image { get; }

    public AffineTransform2D MovingToCommon { get; }

    /// <param name="moving">The moving image as given; not disposed.</param>
    /// <param name="ratio">Moving pixel size divided by fixed pixel size.</param>
    public static CommonPixelGrid Resample(Mat moving, double ratio)
    {
        if (Math.Abs(ratio - 1) < 1e-9)
        {
            return new CommonPixelGrid(moving.Clone(), AffineTransform2D.Identity);
        }

        var (exactWidth, exactHeight) = SizeOf(moving.Cols, moving.Rows, ratio);
        if (!(exactWidth <= int.MaxValue && exactHeight <= int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), FormattableString.Invariant(
                $"Resampling {moving.Cols} x {moving.Rows} px by {ratio} gives more pixels per axis than an image can hold."));
        }

        var width = (int)exactWidth;
        var height = (int)exactHeight;
        var rx = (double)width / moving.Cols;
        var ry = (double)height / moving.Rows;
        var resampled = new Mat();
        // Area averaging when shrinking (a 10 nm EM prediction into a 100 nm IF grid), so nothing aliases.
        Cv2.Resize(moving, resampled, new Size(width, height), 0, 0, ratio < 1 ? InterpolationFlags.Area : InterpolationFlags.Cubic);
        var map = new AffineTransform2D(rx, 0, 0.5 * rx - 0.5, 0, ry, 0.5 * ry - 0.5);
        return new CommonPixelGrid(resampled, map);
    }

    /// <summary>
    /// The size <see cref="Resample"/> gives, in doubles so that a ratio off by orders of magnitude can be refused
    /// before any pixel is allocated (an overflowing int cast would instead wrap).
    /// </summary>
    public static (double Width, double Height) SizeOf(int cols, int rows, double ratio) =>
        Math.Abs(ratio - 1) < 1e-9
            ? (cols, rows)
            : (Math.Max(1, Math.Round(cols * ratio)), Math.Max(1, Math.Round(rows * ratio)));

    public void Dispose() => Image.Dispose();
}
