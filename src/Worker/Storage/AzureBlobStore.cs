using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LabelFree.Messages;
using Polly;

namespace LabelFree.Worker.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on Azure Blob Storage (or Azurite). Every call runs through the Polly
/// pipeline from <see cref="StorageResilience"/>; the SDK's own retries must be off (use
/// <see cref="CreateServiceClient"/>), or each Polly attempt would hide several SDK attempts.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    // Sized for a 2-core worker: a few parallel 4 MiB blocks saturate the link without starving inference.
    private static readonly StorageTransferOptions Transfer = new()
    {
        MaximumConcurrency = 4,
        InitialTransferSize = 8 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
    };

    private readonly BlobServiceClient _service;
    private readonly BlobLocationPolicy _policy;
    private readonly ResiliencePipeline _pipeline;

    public AzureBlobStore(BlobServiceClient service, BlobLocationPolicy policy, ResiliencePipeline pipeline)
    {
        _service = service;
        _policy = policy;
        _pipeline = pipeline;
    }

    /// <summary>A client with the SDK's retries off and <paramref name="requestTimeout"/> per HTTP request.</summary>
    public static BlobServiceClient CreateServiceClient(string connectionString, TimeSpan requestTimeout)
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = requestTimeout;
        return new BlobServiceClient(connectionString, options);
    }

    public Task<bool> ExistsAsync(BlobLocation location, CancellationToken cancellationToken = default) =>
        RunAsync("exists", location, async token => (await Blob(location).ExistsAsync(token)).Value, cancellationToken);

    public Task<StoredBlob> GetPropertiesAsync(BlobLocation location, CancellationToken cancellationToken = default) =>
        RunAsync("get properties", location, async token =>
        {
            var properties = (await Blob(location).GetPropertiesAsync(cancellationToken: token)).Value;
            return new StoredBlob(location, properties.ContentLength, ContentTypeOrDefault(properties.ContentType),
                new Dictionary<string, string>(properties.Metadata), properties.LastModified);
        }, cancellationToken);

    public Task DownloadAsync(BlobLocation location, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RequireSeekable(destination, nameof(destination));
        var start = destination.Position;
        return RunAsync("download", location, async token =>
        {
            // A retry starts over: drop whatever a failed attempt wrote.
            destination.SetLength(start);
            destination.Position = start;
            await Blob(location).DownloadToAsync(destination, new BlobDownloadToOptions { TransferOptions = Transfer }, token);
            return true;
        }, cancellationToken);
    }

    public Task<byte[]> ReadAllBytesAsync(BlobLocation location, CancellationToken cancellationToken = default) =>
        RunAsync("read", location, async token =>
            (await Blob(location).DownloadContentAsync(token)).Value.Content.ToArray(), cancellationToken);

    public Task UploadAsync(
        BlobLocation location,
        Stream content,
        string contentType,
        bool overwrite,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        RequireSeekable(content, nameof(content));
        BlobMetadataRules.Check(metadata);
        var start = content.Position;
        return RunAsync("upload", location, async token =>
        {
            var blob = Blob(location);

            // The If-None-Match condition is only checked when the blocks are committed, after all the
            // bytes went up: look first so a refused large upload costs one request, not the transfer.
            if (!overwrite && (await blob.ExistsAsync(token)).Value)
            {
                throw new BlobAlreadyExistsException(location);
            }

            await WithContainerAsync(location, async () =>
            {
                content.Position = start;
                await blob.UploadAsync(content, UploadOptions(contentType, overwrite, metadata), token);
            }, token);
            return true;
        }, cancellationToken);
    }

    public Task<bool> TryCreateAsync(
        BlobLocation location,
        ReadOnlyMemory<byte> content,
        string contentType,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        BlobMetadataRules.Check(metadata);
        return RunAsync("create", location, async token =>
        {
            try
            {
                await WithContainerAsync(location, () =>
                    Blob(location).UploadAsync(BinaryData.FromBytes(content), UploadOptions(contentType, overwrite: false, metadata), token),
                    token);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
            {
                return false;
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StoredBlob>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        _policy.CheckPrefix(container, prefix);
        return RunAsync<IReadOnlyList<StoredBlob>>("list", container + "/" + prefix, async token =>
        {
            var blobs = new List<StoredBlob>();
            try
            {
                var listing = _service.GetBlobContainerClient(container)
                    .GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, token);
                await foreach (var item in listing)
                {
                    blobs.Add(new StoredBlob(
                        new BlobLocation { Container = container, Name = item.Name },
                        item.Properties.ContentLength ?? 0,
                        ContentTypeOrDefault(item.Properties.ContentType),
                        new Dictionary<string, string>(item.Metadata ?? new Dictionary<string, string>()),
                        item.Properties.LastModified ?? DateTimeOffset.MinValue));
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                return [];
            }

            blobs.Sort((a, b) => string.CompareOrdinal(a.Location.Name, b.Location.Name));
            return blobs;
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(BlobLocation location, CancellationToken cancellationToken = default) =>
        RunAsync("delete", location, async token =>
        {
            try
            {
                return (await Blob(location).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token)).Value;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                return false;
            }
        }, cancellationToken);

    private BlobClient Blob(BlobLocation location) =>
        _service.GetBlobContainerClient(location.Container).GetBlobClient(location.Name);

    // Output containers may not exist on a fresh account: create on first write rather than at start,
    // so a worker that only reads needs no create permission.
    private async Task WithContainerAsync(BlobLocation location, Func<Task> write, CancellationToken token)
    {
        try
        {
            await write();
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await _service.GetBlobContainerClient(location.Container).CreateIfNotExistsAsync(cancellationToken: token);
            await write();
        }
    }

    private static BlobUploadOptions UploadOptions(string contentType, bool overwrite, IReadOnlyDictionary<string, string>? metadata) => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        Metadata = metadata is null ? null : new Dictionary<string, string>(metadata),
        Conditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        TransferOptions = Transfer,
    };

    private Task<T> RunAsync<T>(string operation, BlobLocation location, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        _policy.Check(location);
        return RunAsync(operation, location.ToString(), action, cancellationToken, location);
    }

    private async Task<T> RunAsync<T>(
        string operation,
        string target,
        Func<CancellationToken, Task<T>> action,
        CancellationToken cancellationToken,
        BlobLocation? location = null)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(async (ctx, state) => await state(ctx.CancellationToken), context, action);
        }
        catch (RequestFailedException e) when (e.Status == 404 && location is not null)
        {
            throw new BlobNotFoundException(location, e);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists && location is not null)
        {
            throw new BlobAlreadyExistsException(location, e);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new StorageAccessDeniedException(operation, target, e.Status, e);
        }
        catch (Exception e) when (e is not (BlobNotFoundException or BlobAlreadyExistsException)
                                  && TransientStorageFault.MeansUnavailable(e, cancellationToken))
        {
            throw new StorageUnavailableException(operation, target, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string ContentTypeOrDefault(string? contentType) =>
        string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType;

    private static void RequireSeekable(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable so a retried transfer can start over.", name);
        }
    }
}
