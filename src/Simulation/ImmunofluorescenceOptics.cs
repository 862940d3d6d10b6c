using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// How the 2D immunofluorescence (MBP) image is taken: a Gaussian PSF much wider than EM detail, brightness in
/// photons per pixel where myelin fully covers the pixel, and a Poisson-Gaussian camera.
/// </summary>
public sealed record ImmunofluorescenceOptics
{
    public double PsfSigmaMicrometres { get; init; } = 0.15;

    /// <summary>Photons per pixel from a pixel fully covered by myelin (before the PSF spreads them).</summary>
    public double PeakPhotons { get; init; } = 200;

    public double BackgroundPhotons { get; init; } = 20;

    public PoissonGaussianCamera Camera { get; init; } = new() { ReadNoiseCounts = 2 };

    /// <summary>Expected photons per pixel of <paramref name="grid"/>: background plus the myelin coverage spread by the PSF.</summary>
    public Volume ExpectedPhotons(MyelinatedTissue tissue, TissueGrid grid)
    {
        var photons = MyelinMap.RenderBlurred(tissue, grid, PsfSigmaMicrometres);
        for (var i = 0; i < photons.Voxels.Length; i++)
        {
            photons.Voxels[i] = (float)(BackgroundPhotons + PeakPhotons * photons.Voxels[i]);
        }

        return photons;
    }

    internal void Validate()
    {
        if (!(PsfSigmaMicrometres >= 0) || !(PeakPhotons > 0) || !(BackgroundPhotons >= 0)
            || !double.IsFinite(PsfSigmaMicrometres + PeakPhotons + BackgroundPhotons))
        {
            throw new ArgumentException("IF optics need a PSF sigma >= 0, peak photons > 0 and background >= 0.");
        }

        Camera.Validate();
    }
}
