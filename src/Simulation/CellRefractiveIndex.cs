namespace LabelFree.Simulation;

/// <summary>
/// Refractive indices of the simulated compartments (typical values for cultured cells measured by
/// tomographic phase microscopy: the nucleus slightly below the cytoplasm, nucleoli and lipid-rich
/// organelles above it). Bright-field contrast comes only from differences between these numbers.
/// </summary>
public sealed record CellRefractiveIndex
{
    public double Medium { get; init; } = 1.337;

    public double Cytoplasm { get; init; } = 1.360;

    public double Nucleus { get; init; } = 1.352;

    public double Nucleoli { get; init; } = 1.380;

    /// <summary>Effective index of a voxel-thick membrane sheet (the bilayer itself is thinner but denser).</summary>
    public double Membrane { get; init; } = 1.370;

    public double Mitochondria { get; init; } = 1.385;

    /// <summary>Amplitude of the chromatin texture's index variation inside the nucleus.</summary>
    public double ChromatinVariation { get; init; } = 0.006;

    /// <summary>Amplitude of the granular index variation of the cytoplasm (no fluorescent counterpart).</summary>
    public double CytoplasmVariation { get; init; } = 0.003;

    internal void Validate()
    {
        var values = new[] { Medium, Cytoplasm, Nucleus, Nucleoli, Membrane, Mitochondria };
        if (values.Any(v => !double.IsFinite(v) || v < 1) || !(ChromatinVariation >= 0) || !(CytoplasmVariation >= 0))
        {
            throw new ArgumentException("Refractive indices must be finite and >= 1; variations must be >= 0.");
        }
    }
}
