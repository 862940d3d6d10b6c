using LabelFree.Messages;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// The stack's earlier attempts died with their workers, one after another (their lease was left behind, never
/// released): most likely the stack itself kills the process, by running it out of memory. A defect, not transient:
/// the message goes to stack-acquired_error with this reason instead of taking down the next worker.
/// </summary>
public sealed class PoisonStackException(BlobLocation lease, LeaseRecord last, DateTimeOffset lastRenewed)
    : Exception($"The last {last.AbandonedAttempts + 1} attempts at this stack ended with their worker gone (killed or out of memory) " +
        $"while computing it; the last ran on {last.Host}, lease {lease} last renewed {lastRenewed:O}. Taken for a poison message " +
        "(LabelFree:Broker:MaxAbandonedAttempts): check the worker's memory limit against the stack's size, then move the " +
        "message back from stack-acquired_error.")
{
    public BlobLocation Lease { get; } = lease;

    /// <summary>Attempts that died holding the stack's lease.</summary>
    public int AbandonedAttempts { get; } = last.AbandonedAttempts + 1;
}
