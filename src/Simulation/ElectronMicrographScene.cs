namespace LabelFree.Simulation;

/// <summary>
/// What <see cref="ElectronMicrographSimulator"/> draws: a patch of nerve tissue imaged by EM and by MBP
/// immunofluorescence, both on the EM's pixel grid (registered pixel to pixel), as 2D training pairs.
/// The default 10 nm pixel is the paper's EM grid after downsampling.
/// </summary>
public sealed record ElectronMicrographScene
{
    public int Width { get; init; } = 512;

    public int Height { get; init; } = 512;

    public double PixelSizeMicrometres { get; init; } = 0.01;

    public long Seed { get; init; } = 1;

    public TissueComposition Tissue { get; init; } = new();

    public ElectronDetector Detector { get; init; } = new();

    public ImmunofluorescenceOptics Immunofluorescence { get; init; } = new();

    public void Validate()
    {
        if (Width <= 0 || Height <= 0)
        {
            throw new ArgumentException($"Image size must be positive, got {Width}x{Height}.");
        }

        if (!(PixelSizeMicrometres > 0) || !double.IsFinite(PixelSizeMicrometres))
        {
            throw new ArgumentException($"Pixel size must be finite and positive, got {PixelSizeMicrometres}.");
        }

        Tissue.Validate();
        Detector.Validate();
        Immunofluorescence.Validate();
    }
}
