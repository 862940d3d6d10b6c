namespace LabelFree.Pipeline.Imaging.Zarr;

/// <summary>
/// Where <see cref="OmeZarrWriter"/> puts a Zarr v2 store's entries: a key relative to the store's root
/// ("0/0/0/0/0/0", "0/.zarray", ".zattrs", ".zgroup") and its bytes. A folder on disk (<see cref="ZarrFolderStore"/>)
/// or, in the worker, blob storage under the stack's prediction prefix: each key becomes one blob.
/// </summary>
public interface IZarrStore
{
    /// <summary>Stores one entry; called once per key, metadata after every chunk.</summary>
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
