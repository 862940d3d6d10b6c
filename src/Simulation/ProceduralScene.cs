using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Simulation;

/// <summary>
/// Procedural fluorescence-like images for the registration benchmark and tests: structure at several sizes (so a
/// coarse pyramid level still holds some), uneven brightness, a dim uneven background and optical blur. Seeded: the
/// same seed gives the same image.
/// </summary>
public static class ProceduralScene
{
    public static Volume Generate(ProceduralSceneKind kind, int width, int height, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 32);
        OpenCvRuntime.EnsureLoaded();
        var random = new Random(seed);
        using var image = new Mat(height, width, MatType.CV_32FC1, Scalar.All(0));
        if (kind == ProceduralSceneKind.Fibers)
        {
            DrawFibers(image, random);
        }
        else
        {
            DrawNuclei(image, random);
        }

        using var texture = SmoothNoise(width, height, random, sigma: 6);
        using var background = SmoothNoise(width, height, random, sigma: Math.Max(width, height) / 8.0);
        // Brightness varies along structures (texture) and a dim background varies slowly across the field.
        Cv2.Multiply(image, texture, image);
        Cv2.AddWeighted(image, 1.0, background, 0.15, 0.02, image);
        Cv2.GaussianBlur(image, image, new Size(0, 0), 1.2);
        return MatConversion.ToVolume(image);
    }

    private static void DrawFibers(Mat image, Random random)
    {
        var area = (double)image.Cols * image.Rows;
        var fibers = (int)(area / 6000);
        for (var f = 0; f < fibers; f++)
        {
            var x = random.NextDouble() * image.Cols;
            var y = random.NextDouble() * image.Rows;
            var heading = random.NextDouble() * 2 * Math.PI;
            var turn = (random.NextDouble() - 0.5) * 0.3;
            var points = new List<Point> { new((int)x, (int)y) };
            var segments = random.Next(8, 40);
            for (var s = 0; s < segments; s++)
            {
                heading += turn + (random.NextDouble() - 0.5) * 0.25;
                x += 8 * Math.Cos(heading);
                y += 8 * Math.Sin(heading);
                points.Add(new Point((int)Math.Round(x), (int)Math.Round(y)));
            }

            var brightness = 0.6 + 0.4 * random.NextDouble();
            Cv2.Polylines(image, [points], false, Scalar.All(brightness), random.Next(1, 6));
        }

        // A few round cell bodies among the fibres, so the scene also has compact structure.
        DrawEllipses(image, random, count: fibers / 12, minimumAxis: 6, maximumAxis: 20, brightness: 0.5);
    }

    private static void DrawNuclei(Mat image, Random random)
    {
        var area = (double)image.Cols * image.Rows;
        DrawEllipses(image, random, count: (int)(area / 2500), minimumAxis: 5, maximumAxis: 28, brightness: 1.0);
    }

    private static void DrawEllipses(Mat image, Random random, int count, int minimumAxis, int maximumAxis, double brightness)
    {
        for (var n = 0; n < count; n++)
        {
            var centre = new Point(random.Next(image.Cols), random.Next(image.Rows));
            var axes = new Size(random.Next(minimumAxis, maximumAxis), random.Next(minimumAxis, maximumAxis));
            var value = brightness * (0.5 + 0.5 * random.NextDouble());
            Cv2.Ellipse(image, centre, axes, random.NextDouble() * 180, 0, 360, Scalar.All(value), -1);
        }
    }

    // Positive noise smoothed at the given scale, with mean 1 and standard deviation 0.15. Drawn on a grid a few
    // samples per sigma and enlarged, since blurring a full-size image with a wide kernel is slow.
    private static Mat SmoothNoise(int width, int height, Random random, double sigma)
    {
        var step = Math.Max(1.0, sigma / 3);
        var smallWidth = Math.Max(4, (int)Math.Ceiling(width / step));
        var smallHeight = Math.Max(4, (int)Math.Ceiling(height / step));
        var values = new float[smallWidth * smallHeight];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        using var noise = MatConversion.ToMat(new Volume(new VolumeShape(1, smallHeight, smallWidth), values));
        Cv2.GaussianBlur(noise, noise, new Size(0, 0), sigma / step);
        var smooth = new Mat();
        Cv2.Resize(noise, smooth, new Size(width, height), 0, 0, InterpolationFlags.Cubic);
        Cv2.MeanStdDev(smooth, out var mean, out var deviation);
        var spread = deviation.Val0 > 0 ? 0.15 / deviation.Val0 : 0;
        smooth.ConvertTo(smooth, MatType.CV_32FC1, spread, 1 - mean.Val0 * spread);
        Cv2.Max(smooth, 0.05, smooth);
        return smooth;
    }
}
