using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Registration;

/// <summary>A 2D image (a <see cref="Volume"/> with Z = 1) with its square pixel size in µm.</summary>
public sealed record CalibratedImage
{
    public CalibratedImage(Volume image, double pixelSizeUm)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Depth != 1)
        {
            throw new ArgumentException($"Registration works on 2D images (Z = 1), got {image.Shape}.", nameof(image));
        }

        if (!(double.IsFinite(pixelSizeUm) && pixelSizeUm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(pixelSizeUm), $"Pixel size must be finite and positive, got {pixelSizeUm}.");
        }

        Image = image;
        PixelSizeUm = pixelSizeUm;
    }

    public Volume Image { get; }

    public double PixelSizeUm { get; }

    public int Width => Image.Width;

    public int Height => Image.Height;
}
