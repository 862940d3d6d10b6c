using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Simulation;

/// <summary>
/// How a simulated moving image differs from the fixed image it was cut from, beyond geometry: a prediction is
/// blurrier or sharper, has another intensity curve (gamma), gain and offset, and its own noise.
/// Intensities are first scaled to 0..1 by the image's own minimum and maximum.
/// </summary>
/// <param name="BlurSigma">Gaussian blur in moving pixels (0 = none).</param>
/// <param name="Gamma">Exponent applied to the 0..1 intensities.</param>
/// <param name="Gain">Multiplier after the gamma.</param>
/// <param name="Offset">Added after the gain.</param>
/// <param name="NoiseLevel">Standard deviation of added Gaussian noise, as a fraction of the 0..1 range.</param>
/// <param name="NoiseOfSpread">Standard deviation of further Gaussian noise, as a fraction of the shaped image's own standard deviation.</param>
public sealed record ImageDegradation(double BlurSigma, double Gamma, double Gain, double Offset, double NoiseLevel, double NoiseOfSpread = 0)
{
    public static ImageDegradation None { get; } = new(0, 1, 1, 0, 0);

    /// <summary>
    /// What a prediction of an unseen image may look like next to its IF (issue 15's range): blur σ 1-3 px, a
    /// non-linear intensity curve (gamma 0.5-2, log-uniform so darkening and brightening are equally likely),
    /// gain 0.3-2, offset ±0.2, and noise of 10-30 % of the image's standard deviation.
    /// </summary>
    public static ImageDegradation Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new ImageDegradation(
            BlurSigma: 1 + 2 * random.NextDouble(),
            Gamma: Math.Pow(2, 2 * random.NextDouble() - 1),
            Gain: 0.3 + 1.7 * random.NextDouble(),
            Offset: 0.4 * (random.NextDouble() - 0.5),
            NoiseLevel: 0,
            NoiseOfSpread: 0.1 + 0.2 * random.NextDouble());
    }

    public Volume Apply(Volume image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        OpenCvRuntime.EnsureLoaded();
        using var mat = MatConversion.ToMat(image);
        Cv2.MinMaxLoc(mat, out double minimum, out double maximum);
        var range = maximum > minimum ? maximum - minimum : 1;
        mat.ConvertTo(mat, MatType.CV_32FC1, 1 / range, -minimum / range);
        if (BlurSigma > 0)
        {
            Cv2.GaussianBlur(mat, mat, new Size(0, 0), BlurSigma);
        }

        var values = MatConversion.ToFloats(mat);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(Gain * Math.Pow(Math.Max(values[i], 0), Gamma) + Offset);
        }

        var sigma = NoiseLevel + NoiseOfSpread * Spread(values);
        if (sigma > 0)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += (float)(sigma * Gaussian(random));
            }
        }

        return new Volume(image.Shape, values);
    }

    private static double Spread(float[] values)
    {
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            sum += value;
            squares += (double)value * value;
        }

        var mean = sum / values.Length;
        return Math.Sqrt(Math.Max(squares / values.Length - mean * mean, 0));
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
