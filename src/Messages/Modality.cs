using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>
/// The transmitted-light imaging technique of a stack; it selects which structure models apply.
/// Serialised as its name ("BrightField", "Dic", "Em") whatever the serializer's settings.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Modality>))]
public enum Modality
{
    /// <summary>Bright-field light microscopy (3D z-stacks in the paper).</summary>
    BrightField,

    /// <summary>Differential interference contrast light microscopy.</summary>
    Dic,

    /// <summary>Electron microscopy (2D); may carry a reference immunofluorescence image for registration.</summary>
    Em,
}
