using LabelFree.Messages;

namespace LabelFree.Worker.Hosting;

/// <summary>What the worker writes for each stack (LabelFree:Output).</summary>
public sealed class OutputOptions
{
    /// <summary>
    /// OmeTiff (one blob, what Fiji opens directly) or OmeZarr (a store of chunk blobs, what napari, VisCy and
    /// zarr-python read, and the format for volumes too large for one file).
    /// </summary>
    public OutputFormat Format { get; set; } = OutputFormat.OmeTiff;

    public override string ToString() => $"format {Format}";
}
