namespace LabelFree.Messages;

/// <summary>
/// Where a file lives in blob storage: a container and a blob name inside it, with '/' separating
/// virtual folders. The worker accepts only configured containers and rejects names that try to
/// leave them (absolute paths, "..", backslashes, empty segments).
/// </summary>
public sealed record BlobLocation
{
    /// <summary>The container (Azure Blob container, or a folder under the local storage root), e.g. "inputs".</summary>
    public required string Container { get; init; }

    /// <summary>The blob name inside the container, e.g. "2024-05-01/plate-3/well-B4.ome.tiff".</summary>
    public required string Name { get; init; }

    /// <summary>"container/name", the form used in logs and messages.</summary>
    public override string ToString() => $"{Container}/{Name}";
}
