using System.Runtime.InteropServices;
using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>Copies between 2D <see cref="Volume"/>s and single-channel float32 OpenCV matrices, and between transform types.</summary>
internal static class MatConversion
{
    public static Mat ToMat(Volume plane)
    {
        var mat = new Mat(plane.Height, plane.Width, MatType.CV_32FC1);
        Marshal.Copy(plane.Voxels, 0, mat.Data, plane.Voxels.Length);
        return mat;
    }

    public static Volume ToVolume(Mat mat)
    {
        return new Volume(new VolumeShape(1, mat.Rows, mat.Cols), ToFloats(mat));
    }

    public static float[] ToFloats(Mat mat)
    {
        // A clone is always continuous (a region of interest is not); ConvertTo also allocates a fresh one.
        using var continuous = mat.Type() == MatType.CV_32FC1 ? mat.Clone() : Float32Copy(mat);
        var values = new float[continuous.Rows * continuous.Cols];
        Marshal.Copy(continuous.Data, values, 0, values.Length);
        return values;
    }

    public static byte[] ToBytes(Mat mat)
    {
        using var continuous = mat.Clone();
        var values = new byte[continuous.Rows * continuous.Cols];
        Marshal.Copy(continuous.Data, values, 0, values.Length);
        return values;
    }

    /// <summary>The 2x3 CV_64F matrix OpenCV's warp functions take.</summary>
    public static Mat ToMat(AffineTransform2D transform)
    {
        var mat = new Mat(2, 3, MatType.CV_64FC1);
        mat.Set(0, 0, transform.M00);
        mat.Set(0, 1, transform.M01);
        mat.Set(0, 2, transform.M02);
        mat.Set(1, 0, transform.M10);
        mat.Set(1, 1, transform.M11);
        mat.Set(1, 2, transform.M12);
        return mat;
    }

    public static AffineTransform2D ToTransform(Mat mat) => new(
        mat.At<double>(0, 0), mat.At<double>(0, 1), mat.At<double>(0, 2),
        mat.At<double>(1, 0), mat.At<double>(1, 1), mat.At<double>(1, 2));

    private static Mat Float32Copy(Mat mat)
    {
        var copy = new Mat();
        mat.ConvertTo(copy, MatType.CV_32FC1);
        return copy;
    }
}
