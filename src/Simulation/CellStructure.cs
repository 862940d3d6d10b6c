namespace LabelFree.Simulation;

/// <summary>The fluorescent structures the transmitted-light simulator can label (names as used for models).</summary>
public static class CellStructure
{
    /// <summary>DNA dye (Hoechst): the nuclei, textured, dim where nucleoli are.</summary>
    public const string Dna = "dna";

    /// <summary>Plasma membrane: thin sheets between cells and over their apical and basal surfaces.</summary>
    public const string Membrane = "membrane";

    /// <summary>Nucleoli: one to three bright blobs inside each nucleus.</summary>
    public const string Nucleoli = "nucleoli";

    /// <summary>Mitochondria: short thin tubules in the cytoplasm.</summary>
    public const string Mitochondria = "mitochondria";

    public static IReadOnlyList<string> All { get; } = [Dna, Membrane, Nucleoli, Mitochondria];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
