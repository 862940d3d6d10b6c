using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.BioImageIo;

/// <summary>What a bioimage.io package says beyond the model bundle.</summary>
public sealed record BioImageIoExportOptions
{
    /// <summary>Authors of the model; empty uses the bundle's. A package needs at least one.</summary>
    public IReadOnlyList<ModelAuthor> Authors { get; init; } = [];

    /// <summary>SPDX licence identifier of the weights; null uses the bundle's. A package needs one.</summary>
    public string? License { get; init; }

    /// <summary>libtorch threads for the test prediction.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
