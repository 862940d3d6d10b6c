namespace LabelFree.Simulation;

/// <summary>
/// The make-up of simulated nerve tissue in cross-section (central white/grey matter): axon calibres, how many
/// are myelinated and how thick the myelin is (g-ratio = axon radius / outer radius), and how densely
/// profiles are packed. The myelinated fraction drifts across the tissue over <see cref="PatchMicrometres"/>,
/// giving the large IF image large-scale structure as well as single rings.
/// </summary>
public sealed record TissueComposition
{
    /// <summary>Median axon radius (log-normal, clipped to 0.12..1.2 µm).</summary>
    public double MedianAxonRadiusMicrometres { get; init; } = 0.35;

    public double MyelinatedFraction { get; init; } = 0.55;

    /// <summary>Axons thinner than this stay unmyelinated, as in the CNS.</summary>
    public double MinimumMyelinatedRadiusMicrometres { get; init; } = 0.2;

    public double MinimumGRatio { get; init; } = 0.6;

    public double MaximumGRatio { get; init; } = 0.8;

    /// <summary>Fraction of the area covered by axon profiles (with myelin); the rest is neuropil and glia.</summary>
    public double AxonAreaFraction { get; init; } = 0.45;

    /// <summary>Length scale over which the myelinated fraction varies.</summary>
    public double PatchMicrometres { get; init; } = 25;

    internal void Validate()
    {
        if (!(MedianAxonRadiusMicrometres > 0.05 && MedianAxonRadiusMicrometres < 2)
            || !(MyelinatedFraction >= 0 && MyelinatedFraction <= 1)
            || !(MinimumMyelinatedRadiusMicrometres >= 0)
            || !(MinimumGRatio > 0 && MinimumGRatio <= MaximumGRatio && MaximumGRatio < 1)
            || !(AxonAreaFraction > 0 && AxonAreaFraction <= 0.6)
            || !(PatchMicrometres > 0) || !double.IsFinite(PatchMicrometres + MinimumMyelinatedRadiusMicrometres))
        {
            throw new ArgumentException(
                "Tissue composition out of range: axon radius in (0.05, 2) µm, fractions in [0, 1], 0 < g-ratios < 1 (min <= max), area fraction in (0, 0.6], patch size > 0.");
        }
    }
}
