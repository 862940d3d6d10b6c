using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>A blob as storage describes it.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="ContentType">MIME type given at upload ("application/octet-stream" when none was).</param>
/// <param name="Metadata">Key/value pairs given at upload.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record StoredBlob(
    BlobLocation Location,
    long Length,
    string ContentType,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset LastModified);
