using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Distribution;

/// <summary>
/// What an input looks like, patch by patch, once normalised: a few numbers per YX patch of every plane that
/// describe its texture rather than its brightness (z-scored inputs all have mean 0 and std 1 overall).
/// Per patch: its mean and log variance; the share of its variance in four octave frequency bands
/// (differences of box-filtered copies of the plane at radii 0, 1, 2, 4 and 8 pixels: fine grain, small,
/// medium and large detail); the skewness and kurtosis of its intensities. Box filters cost a few additions per
/// pixel, so a 48x240x368 stack is described in a small fraction of a second. Deterministic: no sampling.
/// </summary>
public static class TextureFeatures
{
    /// <summary>Side of the square YX patches (smaller planes give one patch per plane, the whole plane).</summary>
    public const int PatchSize = 32;

    // Box radii of the low-pass copies; band k is lowPass[k] - lowPass[k + 1], radius 0 being the plane itself.
    private static readonly int[] Radii = [0, 1, 2, 4, 8];

    // Keeps logarithms and ratios finite on flat patches (variance 0), far below any textured patch's variance.
    private const double Floor = 1e-6;

    /// <summary>The features in the order <see cref="Measure"/> returns them; recorded in every description.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "mean", "log10Variance", "log10ShareFine", "log10ShareSmall", "log10ShareMedium", "log10ShareLarge", "skewness", "log10Kurtosis",
    ];

    /// <summary>One feature vector per patch: patches tile every plane from its top-left corner; a remainder narrower than a patch is left out.</summary>
    public static List<double[]> Measure(Volume normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var shape = normalised.Shape;
        var patchY = Math.Min(PatchSize, shape.Y);
        var patchX = Math.Min(PatchSize, shape.X);
        var patches = new List<double[]>();
        var lowPass = new float[Radii.Length][];
        for (var z = 0; z < shape.Z; z++)
        {
            var plane = normalised.Plane(z).ToArray();
            lowPass[0] = plane;
            for (var k = 1; k < Radii.Length; k++)
            {
                lowPass[k] = BoxFilter(plane, shape.Y, shape.X, Radii[k]);
            }

            for (var top = 0; top + patchY <= shape.Y; top += patchY)
            {
                for (var left = 0; left + patchX <= shape.X; left += patchX)
                {
                    patches.Add(Patch(lowPass, shape.X, top, left, patchY, patchX));
                }
            }
        }

        return patches;
    }

    private static double[] Patch(float[][] lowPass, int width, int top, int left, int height, int patchWidth)
    {
        var plane = lowPass[0];
        var count = (double)height * patchWidth;
        var sum = 0.0;
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + patchWidth; x++)
            {
                sum += plane[(y * width) + x];
            }
        }

        var mean = sum / count;
        double m2 = 0, m3 = 0, m4 = 0;
        var bandEnergy = new double[Radii.Length - 1];
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + patchWidth; x++)
            {
                var index = (y * width) + x;
                var d = plane[index] - mean;
                var d2 = d * d;
                m2 += d2;
                m3 += d2 * d;
                m4 += d2 * d2;
                for (var k = 0; k < bandEnergy.Length; k++)
                {
                    var band = (double)lowPass[k][index] - lowPass[k + 1][index];
                    bandEnergy[k] += band * band;
                }
            }
        }

        var variance = (m2 / count) + Floor;
        var features = new double[Names.Count];
        features[0] = mean;
        features[1] = Math.Log10(variance);
        for (var k = 0; k < bandEnergy.Length; k++)
        {
            features[2 + k] = Math.Log10(((bandEnergy[k] / count) + Floor) / variance);
        }

        features[6] = m3 / count / Math.Pow(variance, 1.5);
        // Kurtosis is at least 1 for any textured patch; the offset keeps a flat one's finite.
        features[7] = Math.Log10((m4 / count / (variance * variance)) + 0.1);
        return features;
    }

    // Mean over the (2r+1)^2 window, shrunk at the plane's edges (no padding values invented); separable, by prefix sums.
    private static float[] BoxFilter(float[] plane, int height, int width, int radius)
    {
        var rows = new float[plane.Length];
        var prefix = new double[Math.Max(height, width) + 1];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                prefix[x + 1] = prefix[x] + plane[row + x];
            }

            for (var x = 0; x < width; x++)
            {
                var low = Math.Max(0, x - radius);
                var high = Math.Min(width - 1, x + radius);
                rows[row + x] = (float)((prefix[high + 1] - prefix[low]) / (high - low + 1));
            }
        }

        var result = new float[plane.Length];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                prefix[y + 1] = prefix[y] + rows[(y * width) + x];
            }

            for (var y = 0; y < height; y++)
            {
                var low = Math.Max(0, y - radius);
                var high = Math.Min(height - 1, y + radius);
                result[(y * width) + x] = (float)((prefix[high + 1] - prefix[low]) / (high - low + 1));
            }
        }

        return result;
    }
}
