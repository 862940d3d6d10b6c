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

    /// <summary>"structure (modality) at container/prefix".</summary>
    public override string ToString() => $"{Structure} ({Modality}) at {Location}";
}
