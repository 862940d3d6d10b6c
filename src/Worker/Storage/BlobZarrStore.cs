using System.Security.Cryptography;
using System.Text;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging.Zarr;

namespace LabelFree.Worker.Storage;

/// <summary>
/// A Zarr store in blob storage: each key becomes the blob {root}/{key}, replaced if present (the root lies in a
/// folder of one attempt, which nothing else writes). Blob storage has no rename, so the
/// store is finished only when the record written after it (the worker's manifest) names it. Keeps a digest of
/// what it wrote, so that record can pin the store's exact content.
/// </summary>
public sealed class BlobZarrStore(IBlobStore store, BlobLocation root) : IZarrStore
{
    private readonly SortedDictionary<string, string> _blobDigests = new(StringComparer.Ordinal);

    /// <summary>Bytes written so far, all keys together.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// SHA-256 over the sorted lines "key SHA-256(blob)\n" of every key written: equal for two stores exactly
    /// when they hold the same keys with the same bytes.
    /// </summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Concat(_blobDigests.Select(entry => $"{entry.Key} {entry.Value}\n")))));

    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await store.UploadAsync(root with { Name = $"{root.Name}/{key}" }, stream,
            key.EndsWith(".zarray", StringComparison.Ordinal) || key.EndsWith(".zattrs", StringComparison.Ordinal) || key.EndsWith(".zgroup", StringComparison.Ordinal)
                ? "application/json"
                : "application/octet-stream",
            overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        _blobDigests[key] = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        Bytes += content.Length;
    }
}
