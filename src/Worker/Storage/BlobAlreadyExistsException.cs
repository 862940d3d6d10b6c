using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>An upload without overwrite found a blob already there; the existing blob is unchanged.</summary>
public sealed class BlobAlreadyExistsException : Exception
{
    public BlobAlreadyExistsException(BlobLocation location, Exception? innerException = null)
        : base($"Blob '{location}' already exists and overwriting was not requested.", innerException)
    {
        Location = location;
    }

    /// <summary>The location that already holds a blob.</summary>
    public BlobLocation Location { get; }
}
