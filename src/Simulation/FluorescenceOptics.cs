namespace LabelFree.Simulation;

/// <summary>
/// How a fluorescence channel is imaged. The point-spread function is approximated by an anisotropic 3D
/// Gaussian (axial sigma about 2.5x the lateral one, as for a high-NA spinning disk); brightness is in
/// photons per voxel. Background and autofluorescence are what a control image of the same field sees.
/// </summary>
public sealed record FluorescenceOptics
{
    /// <summary>Photons per voxel where the label density is 1, after the PSF (a filled region's interior).</summary>
    public double PeakPhotons { get; init; } = 250;

    /// <summary>
    /// Brightness of particular structures instead of <see cref="PeakPhotons"/>. By default the small organelles
    /// are brighter (a label concentrated in a small compartment), which keeps their C_max near 0.8 rather than 0.3.
    /// </summary>
    public IReadOnlyDictionary<string, double> PeakPhotonsByStructure { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [CellStructure.Nucleoli] = 1000,
        [CellStructure.Mitochondria] = 1000,
    };

    public double PeakPhotonsFor(string structure) =>
        PeakPhotonsByStructure.TryGetValue(structure, out var photons) ? photons : PeakPhotons;

    /// <summary>Photons per voxel everywhere (out-of-focus light, medium, dark signal expressed as photons).</summary>
    public double BackgroundPhotons { get; init; } = 400;

    /// <summary>Extra photons per voxel inside cells, present with or without the label.</summary>
    public double AutofluorescencePhotons { get; init; } = 5;

    public double LateralSigmaMicrometres { get; init; } = 0.2;

    public double AxialSigmaMicrometres { get; init; } = 0.5;

    public PoissonGaussianCamera Camera { get; init; } = new();

    internal void Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(PeakPhotons), PeakPhotons), (nameof(BackgroundPhotons), BackgroundPhotons),
                     (nameof(AutofluorescencePhotons), AutofluorescencePhotons),
                     (nameof(LateralSigmaMicrometres), LateralSigmaMicrometres), (nameof(AxialSigmaMicrometres), AxialSigmaMicrometres),
                 })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"Fluorescence {name} must be finite and >= 0, got {value}.");
            }
        }

        if (PeakPhotonsByStructure.Values.Any(p => !double.IsFinite(p) || p < 0))
        {
            throw new ArgumentException("Per-structure peak photons must be finite and >= 0.");
        }

        Camera.Validate();
    }
}
