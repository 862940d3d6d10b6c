using System.Text.Json.Serialization;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Hosting;

/// <summary>Where inputs, outputs and models are stored (LabelFree:Storage).</summary>
public sealed class StorageOptions
{
    /// <summary>Local folder or Azure Blob.</summary>
    public StorageKind Kind { get; set; } = StorageKind.Local;

    /// <summary>
    /// The Azure Storage connection string. A secret: set it from the environment
    /// (LABELFREE__Storage__ConnectionString) or a secret store, never in a committed file. It is left out
    /// of <see cref="ToString"/>, JSON and validation messages.
    /// </summary>
    [JsonIgnore]
    public string? ConnectionString { get; set; }

    /// <summary>For <see cref="StorageKind.Local"/>: the folder holding one sub-folder per container (relative to the working directory).</summary>
    public string LocalRoot { get; set; } = "labelfree-data";

    /// <summary>The container stack inputs are read from.</summary>
    public string InputContainer { get; set; } = "inputs";

    /// <summary>Inputs must lie under this prefix of <see cref="InputContainer"/> ("" = anywhere in it).</summary>
    public string InputPrefix { get; set; } = "";

    /// <summary>The container predictions are written to (under predictions/).</summary>
    public string OutputContainer { get; set; } = "labelfree";

    /// <summary>The container model bundles are read from (under models/).</summary>
    public string ModelContainer { get; set; } = "labelfree";

    /// <summary>
    /// Input blobs (and reference images) larger than this are rejected as TooLarge from their properties, before
    /// a byte is downloaded. At most 2 GiB - 1: a stack is decoded from memory.
    /// </summary>
    public long MaxInputBytes { get; set; } = int.MaxValue;

    /// <summary>Retries, timeouts and circuit breaker for Azure Blob calls.</summary>
    public StorageResilienceOptions Resilience { get; set; } = new();

    /// <summary>Summary without the connection string's key: only the account name is shown.</summary>
    public override string ToString() => Kind == StorageKind.AzureBlob
        ? $"AzureBlob ({SecretRedaction.StorageAccount(ConnectionString)}), inputs {InputContainer}/{InputPrefix}, outputs {OutputContainer}, models {ModelContainer}"
        : $"Local ({LocalRoot}), inputs {InputContainer}/{InputPrefix}, outputs {OutputContainer}, models {ModelContainer}";
}
