using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>The file format of a stack's prediction. Serialised as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputFormat>))]
public enum OutputFormat
{
    /// <summary>One OME-TIFF file (one blob).</summary>
    OmeTiff,

    /// <summary>An OME-Zarr store (NGFF 0.4, Zarr v2): a folder of blobs under the output's name.</summary>
    OmeZarr,
}
