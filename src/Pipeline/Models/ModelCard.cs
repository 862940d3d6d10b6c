using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// What a person says about a model that its weights cannot: which structure it predicts from which
/// modality, on which grid, and the bioimage.io-style identity (name, description, authors, licence).
/// </summary>
/// <param name="Structure">The predicted structure, e.g. "DNA", "Lamin B1", "MBP".</param>
/// <param name="InputModality">The transmitted-light or EM modality it reads, e.g. "BrightField", "Dic", "Em".</param>
public sealed record ModelCard(string Structure, string InputModality)
{
    /// <summary>The voxel size (µm, ZYX) inputs are resampled to before prediction; null for 2D models that only need <see cref="PixelSizeMicrometres"/>.</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>The pixel size (µm) a 2D model expects, e.g. 0.01 for the paper's EM model; null for 3D models.</summary>
    public double? PixelSizeMicrometres { get; init; }

    /// <summary>Per-image intensity normalisation the weights expect (<see cref="Preprocessing.InputNormalisation"/>); pytorch_fnet models use the z-score.</summary>
    public string Normalisation { get; init; } = Preprocessing.InputNormalisation.ZScore;

    /// <summary>Display name; defaults to "fnet {structure} from {modality} ({n}D)".</summary>
    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<ModelAuthor> Authors { get; init; } = [];

    /// <summary>SPDX licence identifier of the weights, e.g. "CC-BY-4.0".</summary>
    public string? License { get; init; }
}
