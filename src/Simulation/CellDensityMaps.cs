using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// One frame of the cell field rendered on the padded grid: the density of each fluorescent label (0..1),
/// where cells are, and the refractive-index excess over the medium that the bright-field model images.
/// </summary>
internal sealed record CellDensityMaps(
    Volume Dna,
    Volume Membrane,
    Volume Nucleoli,
    Volume Mitochondria,
    Volume CellBody,
    Volume IndexExcess)
{
    public Volume Label(string structure) => structure switch
    {
        CellStructure.Dna => Dna,
        CellStructure.Membrane => Membrane,
        CellStructure.Nucleoli => Nucleoli,
        CellStructure.Mitochondria => Mitochondria,
        _ => throw new ArgumentException($"Unknown structure '{structure}'.", nameof(structure)),
    };
}
