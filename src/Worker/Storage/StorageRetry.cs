namespace LabelFree.Worker.Storage;

/// <summary>One retry the storage pipeline is about to make: for metrics and logs.</summary>
/// <param name="Operation">The store operation, e.g. "download".</param>
/// <param name="AttemptNumber">Zero-based number of the attempt that failed.</param>
/// <param name="Delay">How long the pipeline waits before the next attempt.</param>
/// <param name="Fault">Why the attempt failed.</param>
public sealed record StorageRetry(string Operation, int AttemptNumber, TimeSpan Delay, Exception? Fault);
