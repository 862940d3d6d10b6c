using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Maps a float image to 0..255 between two of its percentiles: Farneback flow needs 8-bit input, and
/// stretching each image by its own percentiles removes gain and offset differences between prediction and IF.
/// </summary>
internal static class EightBitWindow
{
    private const double LowPercentile = 0.5;
    private const double HighPercentile = 99.5;

    public static Mat Convert(Mat image)
    {
        var (low, high) = Percentiles(image);
        var alpha = high > low ? 255.0 / (high - low) : 0;
        var converted = new Mat();
        image.ConvertTo(converted, MatType.CV_8UC1, alpha, -low * alpha);
        return converted;
    }

    private static (double Low, double High) Percentiles(Mat image)
    {
        var values = MatConversion.ToFloats(image);
        // A subsample of about 250 k pixels pins the percentiles well and keeps the sort short.
        var stride = Math.Max(1, values.Length / 250_000);
        var picked = new List<float>(values.Length / stride + 1);
        for (var i = 0; i < values.Length; i += stride)
        {
            picked.Add(values[i]);
        }

        picked.Sort();
        return (picked[(int)(LowPercentile / 100 * (picked.Count - 1))], picked[(int)(HighPercentile / 100 * (picked.Count - 1))]);
    }
}
