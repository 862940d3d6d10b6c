namespace LabelFree.Worker.Storage;

/// <summary>
/// Storage refused the worker's credentials (HTTP 401 or 403), for example during a key rotation. Not the
/// stack's fault and not retried in place: the stack goes back to the queue and waits until an operator fixes
/// the credentials (labelfree_storage_access_denied_total and the LabelFreeStorageAccessDenied alert).
/// </summary>
public sealed class StorageAccessDeniedException : Exception
{
    public StorageAccessDeniedException(string operation, string target, int status, Exception innerException)
        : base($"Storage refused access ({status}): {operation} of '{target}'. Check the storage credentials " +
               "(LABELFREE__Storage__ConnectionString; a rotated key?) and the container's permissions.", innerException)
    {
        Operation = operation;
        Target = target;
        Status = status;
    }

    /// <summary>The store operation that was refused, e.g. "download".</summary>
    public string Operation { get; }

    /// <summary>The blob ("container/name") or container it was for.</summary>
    public string Target { get; }

    /// <summary>401 or 403.</summary>
    public int Status { get; }
}
