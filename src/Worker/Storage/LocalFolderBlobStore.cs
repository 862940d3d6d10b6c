using System.Text.Json;
using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on a local folder: one sub-folder per container, '/' in blob names as
/// sub-folders. Writes go to a temporary file under ".partial/" and appear in one step (renamed over an
/// existing blob, or hard-linked to a new name so that of two creators exactly one wins), so a reader
/// never sees half a file and a crash mid-write leaves only a stray temporary file. Content type and
/// metadata live in a side file under ".properties/", written after the blob appears: unlike Azure,
/// where they arrive with the blob, a reader can see a new blob without them for a moment (a crash in
/// between leaves it so), described with the default content type and no metadata. A name cannot be
/// both a blob and a folder here (Azure allows that); such a write fails with an IOException.
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    // Container names (Azure rules) never start with '.', so these folders cannot collide with one.
    private const string PartialFolder = ".partial";
    private const string PropertiesFolder = ".properties";
    private const string DefaultContentType = "application/octet-stream";

    private readonly BlobLocationPolicy _policy;

    public LocalFolderBlobStore(string root, BlobLocationPolicy policy)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        _policy = policy;
    }

    /// <summary>The folder that holds one sub-folder per container.</summary>
    public string Root { get; }

    public Task<bool> ExistsAsync(BlobLocation location, CancellationToken cancellationToken = default)
    {
        return Task.FromResult(File.Exists(BlobPath(location)));
    }

    public Task<StoredBlob> GetPropertiesAsync(BlobLocation location, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(BlobPath(location));
        if (!file.Exists)
        {
            throw new BlobNotFoundException(location);
        }

        return Task.FromResult(Describe(location, file));
    }

    public async Task DownloadAsync(BlobLocation location, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);

        // Same contract as the Azure store, so code tried locally behaves the same in production.
        RewindableStream.Require(destination, nameof(destination));

        await using var source = OpenExisting(location);
        await source.CopyToAsync(destination, cancellationToken);
    }

    public async Task<byte[]> ReadAllBytesAsync(BlobLocation location, CancellationToken cancellationToken = default)
    {
        await using var source = OpenExisting(location);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task UploadAsync(
        BlobLocation location,
        Stream content,
        string contentType,
        bool overwrite,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        RewindableStream.Require(content, nameof(content));
        BlobMetadataRules.Check(metadata);
        var path = BlobPath(location);
        if (!overwrite && File.Exists(path))
        {
            throw new BlobAlreadyExistsException(location);
        }

        var partial = await WritePartialAsync(destination => content.CopyToAsync(destination, cancellationToken), cancellationToken);
        if (!Publish(partial, path, overwrite))
        {
            throw new BlobAlreadyExistsException(location);
        }

        await WritePropertiesAsync(location, contentType, metadata, cancellationToken);
    }

    public async Task<bool> TryCreateAsync(
        BlobLocation location,
        ReadOnlyMemory<byte> content,
        string contentType,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        BlobMetadataRules.Check(metadata);
        var path = BlobPath(location);
        if (File.Exists(path))
        {
            return false;
        }

        var partial = await WritePartialAsync(destination => destination.WriteAsync(content, cancellationToken).AsTask(), cancellationToken);
        if (!Publish(partial, path, overwrite: false))
        {
            return false;
        }

        // Written after the blob appeared: only the call that created the blob may describe it.
        await WritePropertiesAsync(location, contentType, metadata, cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<StoredBlob>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        _policy.CheckPrefix(container, prefix);
        var containerFolder = ContainerFolder(container);

        // Start at the deepest folder the prefix names, so listing one stack does not walk the whole container.
        var lastSlash = prefix.LastIndexOf('/');
        var startFolder = lastSlash < 0 ? containerFolder : Path.Combine(containerFolder, prefix[..lastSlash]);
        if (!Directory.Exists(startFolder))
        {
            return Task.FromResult<IReadOnlyList<StoredBlob>>([]);
        }

        var blobs = new List<StoredBlob>();
        foreach (var file in new DirectoryInfo(startFolder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(containerFolder, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                blobs.Add(Describe(new BlobLocation { Container = container, Name = name }, file));
            }
        }

        blobs.Sort((a, b) => string.CompareOrdinal(a.Location.Name, b.Location.Name));
        return Task.FromResult<IReadOnlyList<StoredBlob>>(blobs);
    }

    public Task<bool> DeleteAsync(BlobLocation location, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(location);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        var properties = PropertiesPath(location);
        if (File.Exists(properties))
        {
            File.Delete(properties);
        }

        return Task.FromResult(true);
    }

    private string ContainerFolder(string container) => Path.Combine(Root, container);

    private string BlobPath(BlobLocation location)
    {
        _policy.Check(location);
        var containerFolder = ContainerFolder(location.Container);
        var path = Path.GetFullPath(Path.Combine(containerFolder, location.Name));

        // The policy already refuses "..", absolute names and backslashes; this is the last line of defence.
        if (!path.StartsWith(containerFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new LocationNotAllowedException(location, "the name resolves outside its container folder");
        }

        return path;
    }

    private string PropertiesPath(BlobLocation location) =>
        Path.Combine(Root, PropertiesFolder, location.Container, location.Name + ".json");

    private FileStream OpenExisting(BlobLocation location)
    {
        var path = BlobPath(location);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(location, e);
        }
    }

    private async Task<string> WritePartialAsync(Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, PartialFolder);
        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, $"{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var destination = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await write(destination);

                // On disk before the rename, so a crash cannot leave a renamed but empty file.
                destination.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return partial;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    // Renames the finished file into place. Without overwrite, .NET on Unix links the file to its new
    // name (link(2) fails if the name exists), so of two concurrent creators exactly one wins.
    private static bool Publish(string partial, string path, bool overwrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            if (overwrite)
            {
                File.Move(partial, path, overwrite: true);
                return true;
            }

            // File.Move without overwrite checks, then renames: two creators can both pass the check and the
            // second silently replaces the first. link(2) fails atomically when the name exists.
            if (ExclusiveLink.TryCreate(partial, path))
            {
                File.Delete(partial);
                return true;
            }

            File.Delete(partial);
            return false;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private async Task WritePropertiesAsync(
        BlobLocation location,
        string contentType,
        IReadOnlyDictionary<string, string>? metadata,
        CancellationToken cancellationToken)
    {
        var properties = new LocalBlobProperties(contentType, metadata ?? new Dictionary<string, string>());
        var json = JsonSerializer.SerializeToUtf8Bytes(properties);
        var partial = await WritePartialAsync(destination => destination.WriteAsync(json, cancellationToken).AsTask(), cancellationToken);
        Publish(partial, PropertiesPath(location), overwrite: true);
    }

    private StoredBlob Describe(BlobLocation location, FileInfo file)
    {
        var properties = ReadProperties(location);
        return new StoredBlob(
            location,
            file.Length,
            properties?.ContentType ?? DefaultContentType,
            properties?.Metadata ?? new Dictionary<string, string>(),
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
    }

    private LocalBlobProperties? ReadProperties(BlobLocation location)
    {
        try
        {
            return JsonSerializer.Deserialize<LocalBlobProperties>(File.ReadAllBytes(PropertiesPath(location)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A file put into the folder by hand has no side file.
            return null;
        }
    }

    private sealed record LocalBlobProperties(string ContentType, IReadOnlyDictionary<string, string> Metadata);
}
