using System.Numerics;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// Separable Gaussian blur of a <see cref="Volume"/>, one sigma per axis in voxels (0 leaves that axis alone).
/// Kernels are truncated at 4 sigma and normalised to sum 1; borders reflect (d c b a | a b c d), so a blur
/// keeps the mean of a flat image and does not darken its edges. Used to apply point-spread functions.
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

        var result = volume.Clone();
        BlurX(result, sigmaX);
        BlurAcrossRows(result, sigmaY);
        BlurAcrossPlanes(result, sigmaZ);
        return result;
    }

    /// <summary>The normalised, truncated kernel for <paramref name="sigma"/> voxels (length 2 * radius + 1).</summary>
    public static float[] Kernel(double sigma)
    {
        var radius = Math.Max(1, (int)Math.Ceiling(4 * sigma));
        var kernel = new float[2 * radius + 1];
        var sum = 0.0;
        var weights = new double[kernel.Length];
        for (var i = -radius; i <= radius; i++)
        {
            weights[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
            sum += weights[i + radius];
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(weights[i] / sum);
        }

        return kernel;
    }

    /// <summary>Index into [0, length) for any integer index, reflecting about the edges (scipy's "reflect").</summary>
    public static int Reflect(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        var period = 2 * length;
        var folded = ((index % period) + period) % period;
        return folded < length ? folded : period - 1 - folded;
    }

    private static void BlurX(Volume volume, double sigma)
    {
        if (sigma <= 0 || volume.Width == 1)
        {
            return;
        }

        var kernel = Kernel(sigma);
        var radius = kernel.Length / 2;
        var width = volume.Width;
        var rows = volume.Depth * volume.Height;
        var voxels = volume.Voxels;
        Parallel.For(0, rows, () => new float[width + 2 * radius], (row, _, padded) =>
        {
            var line = voxels.AsSpan(row * width, width);
            for (var i = -radius; i < width + radius; i++)
            {
                padded[i + radius] = line[Reflect(i, width)];
            }

            for (var x = 0; x < width; x++)
            {
                line[x] = Dot(padded.AsSpan(x, kernel.Length), kernel);
            }

            return padded;
        }, _ => { });
    }

    private static void BlurAcrossRows(Volume volume, double sigma)
    {
        if (sigma <= 0 || volume.Height == 1)
        {
            return;
        }

        var (height, width) = (volume.Height, volume.Width);
        BlurAlong(volume.Voxels, Kernel(sigma), volume.Depth, height, width);
    }

    private static void BlurAcrossPlanes(Volume volume, double sigma)
    {
        if (sigma <= 0 || volume.Depth == 1)
        {
            return;
        }

        BlurAlong(volume.Voxels, Kernel(sigma), 1, volume.Depth, (int)volume.Shape.PlaneSize);
    }

    /// <summary>
    /// Blurs <paramref name="count"/> lines of <paramref name="stride"/>-long rows along the middle axis of a
    /// (blocks, count, stride) array. Work is split into column strips: a strip of all the rows a kernel spans
    /// stays in cache while it slides down, and strips give every core work even for a single 2D image.
    /// </summary>
    private static void BlurAlong(float[] voxels, float[] kernel, int blocks, int count, int stride)
    {
        const int stripWidth = 512;
        var radius = kernel.Length / 2;
        var source = (float[])voxels.Clone();
        var strips = (stride + stripWidth - 1) / stripWidth;
        Parallel.For(0, blocks * strips, job =>
        {
            var (block, strip) = (job / strips, job % strips);
            var start = strip * stripWidth;
            var length = Math.Min(stripWidth, stride - start);
            var blockOffset = (long)block * count * stride;
            for (var line = 0; line < count; line++)
            {
                var target = voxels.AsSpan((int)(blockOffset + (long)line * stride + start), length);
                target.Clear();
                for (var k = -radius; k <= radius; k++)
                {
                    var from = blockOffset + (long)Reflect(line + k, count) * stride + start;
                    AddScaled(target, source.AsSpan((int)from, length), kernel[k + radius]);
                }
            }
        });
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a.Slice(i)) * new Vector<float>(b.Slice(i));
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        var i = 0;
        var scale = new Vector<float>(weight);
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var sum = new Vector<float>(target.Slice(i)) + scale * new Vector<float>(source.Slice(i));
            sum.CopyTo(target.Slice(i));
        }

        for (; i < target.Length; i++)
        {
            target[i] += weight * source[i];
        }
    }
}
