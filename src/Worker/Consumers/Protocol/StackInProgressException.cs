using LabelFree.Messages;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// Another attempt is computing this stack right now (its lease is fresh). Transient: the message is retried and
/// then returned to the queue, and once the other attempt's manifest exists it is answered from it.
/// </summary>
public sealed class StackInProgressException(BlobLocation lease, DateTimeOffset renewedAt)
    : Exception($"Another worker is computing this stack (lease {lease}, renewed {renewedAt:O}); the message returns to the queue.")
{
    public BlobLocation Lease { get; } = lease;
}
