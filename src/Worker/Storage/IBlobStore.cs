using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// The worker's one view of blob storage: Azure Blob in production, a local folder in embedded mode
/// and tests. Every location is checked against the <see cref="BlobLocationPolicy"/> first
/// (<see cref="LocationNotAllowedException"/>). A missing blob raises <see cref="BlobNotFoundException"/>;
/// storage that stays unreachable after the retries raises <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>True when the blob exists.</summary>
    Task<bool> ExistsAsync(BlobLocation location, CancellationToken cancellationToken = default);

    /// <summary>Length, content type, metadata and modification time of one blob.</summary>
    Task<StoredBlob> GetPropertiesAsync(BlobLocation location, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies the blob into <paramref name="destination"/> from its current position. The destination
    /// must be seekable: a retried download rewinds it and starts over, so no bytes are doubled.
    /// </summary>
    Task DownloadAsync(BlobLocation location, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>The whole blob in memory; for small files (manifests, model.json).</summary>
    Task<byte[]> ReadAllBytesAsync(BlobLocation location, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> (read from its current position; must be seekable so a retry can
    /// rewind it). Readers never see a half-written blob. With <paramref name="overwrite"/> false an
    /// existing blob is kept and <see cref="BlobAlreadyExistsException"/> is thrown.
    /// Metadata keys are letters, digits and '_' (not starting with a digit); values are printable ASCII.
    /// </summary>
    Task UploadAsync(
        BlobLocation location,
        Stream content,
        string contentType,
        bool overwrite,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a small blob only if none exists, atomically: of two concurrent calls exactly one returns
    /// true. Used for manifests and rejection records, which must never be replaced. After a retried
    /// attempt, false can also mean an earlier attempt of this same call succeeded; callers that care
    /// compare the stored content with theirs.
    /// </summary>
    Task<bool> TryCreateAsync(
        BlobLocation location,
        ReadOnlyMemory<byte> content,
        string contentType,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default);

    /// <summary>Every blob in <paramref name="container"/> whose name starts with <paramref name="prefix"/>, in ordinal name order.</summary>
    Task<IReadOnlyList<StoredBlob>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; false when there was none.</summary>
    Task<bool> DeleteAsync(BlobLocation location, CancellationToken cancellationToken = default);
}
