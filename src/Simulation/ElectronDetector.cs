using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// The electron microscope's imaging of a noise-free micrograph: a slight blur (beam and detector spread, in µm)
/// and additive Gaussian noise in grey levels, clipped to the 8-bit range like a recorded micrograph.
/// </summary>
public sealed record ElectronDetector
{
    public double BlurMicrometres { get; init; } = 0.008;

    public double NoiseGrayLevels { get; init; } = 12;

    public Volume Record(Volume clean, double pixelSizeMicrometres, ulong streamSeed)
    {
        ArgumentNullException.ThrowIfNull(clean);
        var sigma = BlurMicrometres / pixelSizeMicrometres;
        var image = GaussianBlur.Apply(clean, 0, sigma, sigma);
        var (rows, width) = (image.Depth * image.Height, image.Width);
        Parallel.For(0, rows, row =>
        {
            var random = new SeededRandom(SeededRandom.Mix(streamSeed ^ SeededRandom.Mix((ulong)row + 1)));
            for (var i = row * width; i < (row + 1) * width; i++)
            {
                image.Voxels[i] = (float)Math.Clamp(image.Voxels[i] + NoiseGrayLevels * random.NextGaussian(), 0, 255);
            }
        });
        return image;
    }

    internal void Validate()
    {
        if (!(BlurMicrometres >= 0) || !(NoiseGrayLevels >= 0) || !double.IsFinite(BlurMicrometres + NoiseGrayLevels))
        {
            throw new ArgumentException("EM detector blur and noise must be finite and >= 0.");
        }
    }
}
