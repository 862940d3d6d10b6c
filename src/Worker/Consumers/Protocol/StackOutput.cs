using System.Security.Cryptography;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>One output of a stack, computed and encoded, waiting to be uploaded into its attempt's folder.</summary>
public abstract record StackOutput(string Name)
{
    /// <summary>Uploads the output under <paramref name="attempt"/> and says where it went and what it holds.</summary>
    public abstract Task<StoredOutput> UploadAsync(IBlobStore store, AttemptFolder attempt, CancellationToken cancellationToken);
}

/// <summary>An output that is one blob (an OME-TIFF, a JSON document).</summary>
public sealed record FileOutput(string Name, byte[] Content, string ContentType) : StackOutput(Name)
{
    public override async Task<StoredOutput> UploadAsync(IBlobStore store, AttemptFolder attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(attempt);
        var location = attempt.File(Name);
        using var content = new MemoryStream(Content, writable: false);

        // The attempt's folder is its own: replacing is only ever a retry of this very upload.
        await store.UploadAsync(location, content, ContentType, overwrite: true, cancellationToken: cancellationToken);
        return new StoredOutput(location, Convert.ToHexStringLower(SHA256.HashData(Content)), Content.Length);
    }

    /// <summary>The image as an OME-TIFF file.</summary>
    public static FileOutput OmeTiff(Hyperstack image, string imageName, string fileName)
    {
        using var encoded = new MemoryStream();
        OmeTiffWriter.Write(image, encoded, OmeTiffWriteOptions.Default with { ImageName = imageName }, fileName);
        return new FileOutput(fileName, encoded.ToArray(), "image/tiff");
    }
}

/// <summary>An output that is an OME-Zarr store: many blobs under one name, metadata after the chunks.</summary>
public sealed record ZarrOutput(string Name, Hyperstack Image, string ImageName) : StackOutput(Name)
{
    public override async Task<StoredOutput> UploadAsync(IBlobStore store, AttemptFolder attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var location = attempt.File(Name);
        var zarr = new BlobZarrStore(store, location);
        await OmeZarrWriter.WriteAsync(Image, zarr, OmeZarrWriteOptions.Default with { ImageName = ImageName }, Name, cancellationToken);
        return new StoredOutput(location, zarr.Sha256, zarr.Bytes);
    }
}

/// <summary>An uploaded output: where it is, SHA-256 of its bytes (of its blobs' digests for a store) and its size.</summary>
public sealed record StoredOutput(BlobLocation Location, string Sha256, long Bytes);
