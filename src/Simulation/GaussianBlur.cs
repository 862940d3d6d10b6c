using System.Runtime.InteropServices;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using OpenCvSharp;

namespace LabelFree.Simulation;

/// <summary>
/// Separable Gaussian blur of a <see cref="Volume"/>, one sigma per axis in voxels (0 leaves that axis alone), on
/// OpenCV's filter (the one registration already uses): each YX plane, then along Z with the planes as rows of one
/// matrix. Kernels are truncated at 4 sigma (at least one voxel either side) and normalised to sum 1; borders reflect
/// (d c b a | a b c d, OpenCV's BORDER_REFLECT, not its default that repeats no edge voxel), so a blur keeps the mean
/// of a flat image and does not darken its edges. Used to apply point-spread functions.
/// </summary>
public static class GaussianBlur
{
    /// <summary>A new blurred volume; the input is left unchanged.</summary>
    public static Volume Apply(Volume volume, double sigmaZ, double sigmaY, double sigmaX)
    {
        ArgumentNullException.ThrowIfNull(volume);
        foreach (var sigma in new[] { sigmaZ, sigmaY, sigmaX })
        {
            if (!double.IsFinite(sigma) || sigma < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sigmaZ), $"Blur sigmas must be finite and >= 0, got {sigma}.");
            }
        }

        OpenCvRuntime.EnsureLoaded();
        var result = volume.Clone();
        var planeSize = volume.Height * volume.Width;
        var (lengthY, lengthX) = (KernelLength(sigmaY, volume.Height), KernelLength(sigmaX, volume.Width));
        if (lengthY > 1 || lengthX > 1)
        {
            for (var z = 0; z < volume.Depth; z++)
            {
                Filter(result.Voxels, z * planeSize, volume.Height, volume.Width, new Size(lengthX, lengthY), sigmaX, sigmaY);
            }
        }

        var lengthZ = KernelLength(sigmaZ, volume.Depth);
        if (lengthZ > 1)
        {
            // Row z of a Depth x (Height * Width) matrix is plane z, so a vertical-only blur of it runs along Z.
            Filter(result.Voxels, 0, volume.Depth, planeSize, new Size(1, lengthZ), 0, sigmaZ);
        }

        return result;
    }

    /// <summary>2 * ceil(4 sigma) + 1 (OpenCV would round 8 sigma + 1 instead, moving every PSF's tail); 1 = leave the axis alone.</summary>
    private static int KernelLength(double sigma, int axisLength) =>
        sigma <= 0 || axisLength == 1 ? 1 : 2 * Math.Max(1, (int)Math.Ceiling(4 * sigma)) + 1;

    /// <summary>Blurs rows x columns floats of <paramref name="voxels"/> from <paramref name="offset"/> in place.</summary>
    private static void Filter(float[] voxels, int offset, int rows, int columns, Size kernel, double sigmaX, double sigmaY)
    {
        using var mat = new Mat(rows, columns, MatType.CV_32FC1);
        Marshal.Copy(voxels, offset, mat.Data, rows * columns);
        // A length-1 kernel is [1] whatever its sigma, so a zero sigma needs no special case here.
        Cv2.GaussianBlur(mat, mat, kernel, sigmaX, sigmaY, BorderTypes.Reflect);
        Marshal.Copy(mat.Data, voxels, offset, rows * columns);
    }
}
