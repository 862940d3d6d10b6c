using LabelFree.Messages;
using MassTransit;

namespace LabelFree.Worker.Demo;

/// <summary>
/// A demo stack that faulted in the worker: its job threw an exception that is neither a rejection of bad input
/// nor transient (a defect), so MassTransit published Fault&lt;StackAcquired&gt; and moved the message to the
/// stack-acquired_error queue. No StackPredicted or StackRejected will ever come for it.
/// </summary>
/// <param name="ExceptionType">The full type name of the exception the job threw, e.g. System.ArgumentException.</param>
/// <param name="Message">The exception's whole message.</param>
/// <param name="StackTrace">Where it was thrown, as the fault carries it (the worker's log holds it too).</param>
public sealed record DemoFault(
    string StackId, string BatchId, string ExceptionType, string Message, string? StackTrace, DateTimeOffset FaultedAt)
{
    /// <summary>The exception type and the first line of its message: what the demo prints for the stack.</summary>
    public string Reason => $"{ExceptionType}: {FirstLine(Message)}";

    public static DemoFault From(Fault<StackAcquired> fault)
    {
        ArgumentNullException.ThrowIfNull(fault);

        // The consumer's own exception comes first; MassTransit adds none of its own for a consumer fault.
        var exception = fault.Exceptions.FirstOrDefault();
        return new DemoFault(
            fault.Message.StackId,
            fault.Message.BatchId,
            exception?.ExceptionType ?? "unknown exception",
            exception?.Message ?? "(the fault carries no exception)",
            exception?.StackTrace,
            fault.Timestamp);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
