using Azure;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LabelFree.Worker.Storage;

/// <summary>
/// Tells a passing storage fault (worth retrying) from a permanent one. The Azure SDK reports "server
/// gone" as RequestFailedException with Status 0, or, when it retried itself, as an AggregateException
/// of those; its own network timeout surfaces as a cancellation nobody asked for.
/// </summary>
public static class TransientStorageFault
{
    /// <summary>True when <paramref name="fault"/> is worth retrying; <paramref name="callerToken"/> tells a caller's cancellation from a timeout.</summary>
    public static bool IsTransient(Exception fault, CancellationToken callerToken) => fault switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException => true,
        IOException => true,
        TimeoutRejectedException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => IsTransient(inner, callerToken)),
        _ => false,
    };

    /// <summary>True when the fault means storage is unavailable now: transient, or the circuit is open.</summary>
    public static bool MeansUnavailable(Exception fault, CancellationToken callerToken) =>
        fault is BrokenCircuitException || IsTransient(fault, callerToken);
}
