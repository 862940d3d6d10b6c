using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// METHOD §7 step 4: register only predictions with enough content, i.e. more than 1 % of the pixels above 50 % of
/// the maximum. The paper's predictions have a zero background; a z-scored model's do not (its background sits
/// near -0.5 and may be anywhere), so intensities are measured above the image's median, which is the background for
/// the sparse structures this is meant for. With a zero background this is exactly the paper's rule, and a constant
/// image of any level has no content.
/// </summary>
public static class ContentGate
{
    /// <summary>The fraction (0..1) of pixels whose height above the median exceeds <paramref name="levelOfMaximum"/> of the maximum's.</summary>
    public static double ContentFraction(Volume image, double levelOfMaximum = 0.5)
    {
        ArgumentNullException.ThrowIfNull(image);
        var voxels = image.Voxels;
        var background = Median(voxels);
        var maximum = double.NegativeInfinity;
        foreach (var value in voxels)
        {
            maximum = Math.Max(maximum, value);
        }

        var peak = maximum - background;
        // Float noise on a flat image is not content: require the peak to stand out from the background's magnitude.
        if (!(peak > 1e-6 * Math.Max(Math.Abs(background), Math.Abs(maximum))) || !double.IsFinite(peak))
        {
            return 0;
        }

        var threshold = background + levelOfMaximum * peak;
        long above = 0;
        foreach (var value in voxels)
        {
            if (value > threshold)
            {
                above++;
            }
        }

        return (double)above / voxels.Length;
    }

    private static double Median(float[] values)
    {
        var copy = (float[])values.Clone();
        var middle = copy.Length / 2;
        // Selection, not a full sort: a 1500 x 1500 prediction has 2.25 M pixels.
        return QuickSelect(copy, middle);
    }

    private static float QuickSelect(float[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[left + (right - left) / 2];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }
}
