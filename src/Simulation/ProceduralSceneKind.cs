namespace LabelFree.Simulation;

/// <summary>What a procedural fluorescence scene shows.</summary>
public enum ProceduralSceneKind
{
    /// <summary>Long, thin, curving bright fibres on a dim background, like MBP-stained myelin (the paper's IF target).</summary>
    Fibers,

    /// <summary>Filled ellipses of many sizes, like a DNA stain.</summary>
    Nuclei,
}
