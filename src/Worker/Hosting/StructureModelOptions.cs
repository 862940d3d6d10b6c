using LabelFree.Messages;

namespace LabelFree.Worker.Hosting;

/// <summary>One structure model to load at start (an entry of LabelFree:Models).</summary>
public sealed class StructureModelOptions
{
    /// <summary>The structure it predicts, e.g. "dna"; names the output channel.</summary>
    public string Structure { get; set; } = "";

    /// <summary>The transmitted-light modality it was trained on.</summary>
    public Modality Modality { get; set; } = Modality.BrightField;

    /// <summary>Where its bundle (weights and model.json) is stored.</summary>
    public ModelLocationOptions Location { get; set; } = new();

    /// <summary>
    /// When set, the SHA-256 (64 lowercase hex digits) the bundle's weights must have, or the worker does not start.
    /// The SHA-256 in model.json sits beside the weights, so whoever can replace one can replace both; a value
    /// pinned in the deployment cannot be changed from storage.
    /// </summary>
    public string? WeightsSha256 { get; set; }

    /// <summary>"structure (modality) at container/prefix".</summary>
    public override string ToString() => $"{Structure} ({Modality}) at {Location}";
}
