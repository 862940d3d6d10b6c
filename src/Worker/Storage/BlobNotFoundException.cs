using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>The blob (or its container) does not exist. The worker answers it with StackRejected(MissingInput).</summary>
public sealed class BlobNotFoundException : Exception
{
    public BlobNotFoundException(BlobLocation location, Exception? innerException = null)
        : base($"Blob '{location}' does not exist.", innerException)
    {
        Location = location;
    }

    /// <summary>The location that was asked for.</summary>
    public BlobLocation Location { get; }
}
