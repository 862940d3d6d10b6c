using LabelFree.Messages;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Tests.TestSupport;

/// <summary>
/// A worker's real blob store with hooks around uploads and manifest creates, to stage races and stops at exact
/// points of the stack protocol. Installed with <see cref="Wrap"/> into a worker's services.
/// </summary>
internal sealed class StagedBlobStore(IBlobStore inner) : IBlobStore
{
    /// <summary>Runs before a blob's properties are read (the protocol's first look at an input); may throw.</summary>
    public Action<BlobLocation>? BeforePropertiesRead { get; set; }

    /// <summary>
    /// Grants every lease.json create without storing it, as when a lease went stale and was taken over: two
    /// attempts then compute the same stack, the case the manifest alone must settle.
    /// </summary>
    public bool GrantEveryLease { get; set; }

    /// <summary>Runs before a manifest.json is created; may wait.</summary>
    public Func<BlobLocation, Task>? BeforeManifestCreate { get; set; }

    /// <summary>Runs after a manifest.json create, with whether this call created it; may throw to stop the stack there.</summary>
    public Action<BlobLocation, bool>? AfterManifestCreate { get; set; }

    /// <summary>Runs after a blob in an attempt's folder was uploaded.</summary>
    public Action<BlobLocation>? AfterOutputUpload { get; set; }

    /// <summary>Replaces the worker's IBlobStore with a staged one around it and hands the staged one to <paramref name="staged"/>.</summary>
    public static Action<IServiceCollection> Wrap(Action<StagedBlobStore> staged) => services =>
    {
        var original = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.Remove(original);
        services.AddSingleton<IBlobStore>(provider =>
        {
            var store = new StagedBlobStore((IBlobStore)original.ImplementationFactory!(provider));
            staged(store);
            return store;
        });
    };

    public Task<bool> ExistsAsync(BlobLocation location, CancellationToken cancellationToken = default) => inner.ExistsAsync(location, cancellationToken);

    public Task<StoredBlob> GetPropertiesAsync(BlobLocation location, CancellationToken cancellationToken = default)
    {
        BeforePropertiesRead?.Invoke(location);
        return inner.GetPropertiesAsync(location, cancellationToken);
    }

    public Task DownloadAsync(BlobLocation location, Stream destination, CancellationToken cancellationToken = default) =>
        inner.DownloadAsync(location, destination, cancellationToken);

    public Task<byte[]> ReadAllBytesAsync(BlobLocation location, CancellationToken cancellationToken = default) => inner.ReadAllBytesAsync(location, cancellationToken);

    public async Task UploadAsync(BlobLocation location, Stream content, string contentType, bool overwrite,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        await inner.UploadAsync(location, content, contentType, overwrite, metadata, cancellationToken);
        if (location.Name.Contains("/attempt-", StringComparison.Ordinal))
        {
            AfterOutputUpload?.Invoke(location);
        }
    }

    public async Task<bool> TryCreateAsync(BlobLocation location, ReadOnlyMemory<byte> content, string contentType,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        if (GrantEveryLease && location.Name.EndsWith("/" + PredictionLayout.LeaseFileName, StringComparison.Ordinal))
        {
            return true;
        }

        var manifest = location.Name.EndsWith("/" + PredictionLayout.ManifestFileName, StringComparison.Ordinal);
        if (manifest && BeforeManifestCreate is { } before)
        {
            await before(location);
        }

        var created = await inner.TryCreateAsync(location, content, contentType, metadata, cancellationToken);
        if (manifest)
        {
            AfterManifestCreate?.Invoke(location, created);
        }

        return created;
    }

    public Task<IReadOnlyList<StoredBlob>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) =>
        inner.ListAsync(container, prefix, cancellationToken);

    public Task<bool> DeleteAsync(BlobLocation location, CancellationToken cancellationToken = default) => inner.DeleteAsync(location, cancellationToken);
}
