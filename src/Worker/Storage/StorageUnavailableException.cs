namespace LabelFree.Worker.Storage;

/// <summary>
/// Storage stayed unreachable (or kept failing transiently, or its circuit is open) after the configured
/// retries. Transient by nature: the worker lets the message be redelivered rather than rejecting the stack.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string operation, string target, Exception innerException)
        : base($"Storage unavailable: {operation} of '{target}' failed after retries " +
               $"({innerException.GetType().Name}: {innerException.Message})", innerException)
    {
        Operation = operation;
        Target = target;
    }

    /// <summary>The store operation that failed, e.g. "download".</summary>
    public string Operation { get; }

    /// <summary>The blob ("container/name") or container it was for.</summary>
    public string Target { get; }
}
