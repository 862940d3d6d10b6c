using LabelFree.Messages;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// A stack the worker refuses because of its message or its input (not a fault of the worker): it is
/// answered with StackRejected and acknowledged, never retried.
/// </summary>
public sealed class StackRejectedException : Exception
{
    public StackRejectedException(RejectionReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The reason code published in StackRejected.</summary>
    public RejectionReason Reason { get; }
}
