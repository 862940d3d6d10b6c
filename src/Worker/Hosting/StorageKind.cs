namespace LabelFree.Worker.Hosting;

/// <summary>Which blob store the worker uses.</summary>
public enum StorageKind
{
    /// <summary>A folder on the local disk (embedded mode, single machine).</summary>
    Local,

    /// <summary>Azure Blob Storage (or Azurite).</summary>
    AzureBlob,
}
