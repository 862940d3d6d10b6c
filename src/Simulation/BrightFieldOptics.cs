namespace LabelFree.Simulation;

/// <summary>
/// A bright-field (transmitted-light) microscope: the objective and condenser apertures set how the weak
/// phase and absorption of the sample turn into intensity at each focal plane (see <see cref="BrightFieldImaging"/>).
/// </summary>
public sealed record BrightFieldOptics
{
    public double WavelengthMicrometres { get; init; } = 0.55;

    public double ObjectiveNumericalAperture { get; init; } = 1.25;

    /// <summary>A partly closed condenser: smaller values give more defocus contrast and less blur.</summary>
    public double CondenserNumericalAperture { get; init; } = 0.35;

    /// <summary>Photons per voxel of the empty field.</summary>
    public double IlluminationPhotons { get; init; } = 3000;

    /// <summary>Absorption per µm of path per unit of refractive-index excess (dense matter absorbs a little).</summary>
    public double DryMassAbsorption { get; init; } = 0.5;

    public PoissonGaussianCamera Camera { get; init; } = new();

    internal void Validate()
    {
        if (!(WavelengthMicrometres > 0) || !(ObjectiveNumericalAperture > 0) || !(CondenserNumericalAperture > 0)
            || !(IlluminationPhotons > 0) || !(DryMassAbsorption >= 0)
            || !double.IsFinite(WavelengthMicrometres + ObjectiveNumericalAperture + CondenserNumericalAperture + IlluminationPhotons + DryMassAbsorption))
        {
            throw new ArgumentException(
                "Bright-field optics need a positive wavelength, apertures and illumination and an absorption >= 0.");
        }

        Camera.Validate();
    }
}
