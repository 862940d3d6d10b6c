namespace LabelFree.Messages;

/// <summary>
/// Event: a stack cannot be processed because of its input or its message. The message is
/// acknowledged and not retried; a rejection record is written next to where the output would be.
/// </summary>
public sealed record StackRejected
{
    /// <summary>The stack's identifier, from <see cref="StackAcquired.StackId"/>.</summary>
    public required string StackId { get; init; }

    /// <summary>The batch's identifier, from <see cref="StackAcquired.BatchId"/>.</summary>
    public required string BatchId { get; init; }

    /// <summary>The reason code.</summary>
    public required RejectionReason Reason { get; init; }

    /// <summary>A human-readable explanation naming the file and what is wrong with it.</summary>
    public required string Message { get; init; }

    /// <summary>When the stack was rejected.</summary>
    public required DateTimeOffset RejectedAt { get; init; }
}
