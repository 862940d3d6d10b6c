namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// Products of header-supplied sizes. A crafted header can claim sizes whose product overflows a long; saturating
/// at long.MaxValue keeps every size check meaningful (it simply fails) instead of wrapping to a small number.
/// </summary>
internal static class Saturating
{
    public static long Multiply(long a, long b)
    {
        if (a < 0 || b < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "Sizes are never negative.");
        }

        return a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
    }

    public static long Multiply(params ReadOnlySpan<long> factors)
    {
        long product = 1;
        foreach (var factor in factors)
        {
            product = Multiply(product, factor);
        }

        return product;
    }
}
