using System.IO.Compression;
using System.Runtime.InteropServices;
using LabelFree.Pipeline.Imaging.Zarr;

namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// Writes a hyperstack as an OME-Zarr image (OME-NGFF 0.4 on Zarr v2) that zarr-python, napari (ome-zarr plugin),
/// Fiji (MoBIE / n5-zarr) and VisCy read: one multiscale level at path "0", axes t/c/z/y/x with units and the voxel
/// size as a scale transformation, channel names in omero, float32 chunks of at most a few MB, zlib-compressed.
/// </summary>
/// <remarks>
/// Completeness: every chunk is written first, then 0/.zarray, .zattrs and .zgroup last, so a store without its
/// .zgroup is unfinished. On disk the whole store is built under a temporary name and renamed into place. In blob
/// storage (many blobs, no rename) the caller's own record written after the store, such as the worker's manifest,
/// is what says it is finished.
/// </remarks>
public static class OmeZarrWriter
{
    /// <summary>The array of the single resolution level, relative to the store's root.</summary>
    public const string ArrayPath = "0";

    /// <summary>Compression level numcodecs records for our chunks (System.IO.Compression's Optimal is zlib level 6).</summary>
    private const int ZlibLevel = 6;

    /// <summary>Writes the store into <paramref name="store"/>: chunks, then 0/.zarray, .zattrs, .zgroup.</summary>
    public static async Task WriteAsync(Hyperstack image, IZarrStore store, OmeZarrWriteOptions? options = null,
        string name = "prediction.ome.zarr", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(store);
        options ??= OmeZarrWriteOptions.Default;
        var grid = ZarrChunkGrid.For(image.Shape, options.MaxChunkBytes);
        var chunk = new float[grid.ChunkBytes / ZarrChunkGrid.BytesPerVoxel];
        for (var t = 0; t < image.Frames; t++)
        {
            for (var c = 0; c < image.Channels; c++)
            {
                var volume = image[t, c];
                for (var bz = 0; bz < grid.ChunksZ; bz++)
                {
                    for (var by = 0; by < grid.ChunksY; by++)
                    {
                        for (var bx = 0; bx < grid.ChunksX; bx++)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            grid.CopyChunk(volume, bz, by, bx, chunk);
                            var bytes = MemoryMarshal.AsBytes(chunk.AsSpan());
                            var content = options.Compress ? Zlib(bytes) : bytes.ToArray();
                            await store.WriteAsync($"{ArrayPath}/{t}/{c}/{bz}/{by}/{bx}", content, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }

        await store.WriteAsync($"{ArrayPath}/.zarray", OmeZarrMetadata.Array(grid, options.Compress ? ZlibLevel : null), cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(".zattrs", OmeZarrMetadata.Attributes(image, options.ImageName ?? name, ArrayPath), cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(".zgroup", OmeZarrMetadata.Group(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the store as the folder <paramref name="path"/> (conventionally NAME.ome.zarr), built beside it under a
    /// temporary name and renamed into place, so a reader never sees half a store. An existing store there is replaced.
    /// </summary>
    public static async Task WriteAsync(Hyperstack image, string path, OmeZarrWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        if (File.Exists(target))
        {
            throw new IOException($"{target} is a file; an OME-Zarr store is a folder.");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var replaced = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.old");
        try
        {
            await WriteAsync(image, new ZarrFolderStore(temporary), options, Path.GetFileName(target), cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(target))
            {
                Directory.Move(target, replaced);
            }

            Directory.Move(temporary, target);
        }
        finally
        {
            DeleteFolder(temporary);
            DeleteFolder(replaced);
        }
    }

    private static byte[] Zlib(ReadOnlySpan<byte> bytes)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        return buffer.ToArray();
    }

    private static void DeleteFolder(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
