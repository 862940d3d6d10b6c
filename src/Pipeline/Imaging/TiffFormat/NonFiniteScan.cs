using System.Numerics;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>Finds NaN or infinite voxels quickly: x - x is 0 for every finite x and NaN otherwise.</summary>
internal static class NonFiniteScan
{
    /// <summary>Index of the first NaN or infinity, or -1.</summary>
    public static int IndexOfFirst(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            for (; i <= values.Length - width; i += width)
            {
                var v = new Vector<float>(values[i..]);
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
