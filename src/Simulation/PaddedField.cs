using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// The output grid plus a lateral margin of real scene on every side. Blurs and the bright-field transfer
/// spread light sideways by a few micrometres; rendering the scene that lies beyond the image edge and
/// cropping afterwards keeps the edges of the output as correct as its middle (no reflected or wrapped cells).
/// The padded size has only factors 2, 3 and 5 so the Fourier transforms of the bright-field model are fast.
/// </summary>
internal sealed record PaddedField(VolumeShape Output, VolumeShape Padded, int MarginY, int MarginX, VoxelSize VoxelSize)
{
    public const double MarginMicrometres = 3.0;

    public static PaddedField For(VolumeShape output, VoxelSize voxelSize)
    {
        var height = SmoothLength(output.Y + 2 * (int)Math.Ceiling(MarginMicrometres / voxelSize.Y));
        var width = SmoothLength(output.X + 2 * (int)Math.Ceiling(MarginMicrometres / voxelSize.X));
        return new PaddedField(output, new VolumeShape(output.Z, height, width), (height - output.Y) / 2, (width - output.X) / 2, voxelSize);
    }

    /// <summary>The smallest length >= <paramref name="minimum"/> whose only prime factors are 2, 3 and 5.</summary>
    internal static int SmoothLength(int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimum);
        for (var candidate = minimum; ; candidate++)
        {
            var rest = candidate;
            foreach (var prime in new[] { 2, 3, 5 })
            {
                while (rest % prime == 0)
                {
                    rest /= prime;
                }
            }

            if (rest == 1)
            {
                return candidate;
            }
        }
    }

    /// <summary>Lateral position in µm of padded column <paramref name="i"/> (output column 0 is at x = 0).</summary>
    public double X(int i) => (i - MarginX) * VoxelSize.X;

    public double Y(int j) => (j - MarginY) * VoxelSize.Y;

    public double Z(int k) => k * VoxelSize.Z;

    /// <summary>The output window of a padded volume.</summary>
    public Volume Crop(Volume padded)
    {
        var cropped = new Volume(Output);
        for (var z = 0; z < Output.Z; z++)
        {
            for (var y = 0; y < Output.Y; y++)
            {
                padded.Voxels.AsSpan(((z * Padded.Y) + y + MarginY) * Padded.X + MarginX, Output.X)
                    .CopyTo(cropped.Voxels.AsSpan(((z * Output.Y) + y) * Output.X, Output.X));
            }
        }

        return cropped;
    }
}
