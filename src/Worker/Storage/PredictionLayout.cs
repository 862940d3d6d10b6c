using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// The deterministic names of everything the worker writes. A stack's manifest always lands at
/// predictions/{batchId}/{stackId}/manifest.json, so a redelivered message finds the earlier result instead of
/// making a second one. Its outputs go to a folder of the attempt that made them,
/// predictions/{batchId}/{stackId}/{attemptId}/, which the manifest names: no attempt ever writes over a file
/// another attempt may have committed. Model bundles live in models/{structure}/{version}/.
/// </summary>
public sealed class PredictionLayout
{
    /// <summary>Prefix of all prediction outputs in the output container.</summary>
    public const string PredictionsPrefix = "predictions/";

    /// <summary>Prefix of all model bundles in the model container.</summary>
    public const string ModelsPrefix = "models/";

    /// <summary>File name of the integrated prediction (OME-TIFF) inside an attempt's folder.</summary>
    public const string PredictionFileName = "prediction.ome.tiff";

    /// <summary>Name of the integrated prediction as an OME-Zarr store (a prefix of blobs) inside an attempt's folder.</summary>
    public const string PredictionStoreName = "prediction.ome.zarr";

    /// <summary>File name of the manifest, written last: its presence means the stack is done.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>
    /// File name of the record that a stack's result was published: written after the event went out, so a
    /// redelivery can tell a duplicate (reused) from a result that was never announced.
    /// </summary>
    public const string AnnouncementFileName = "announced.json";

    /// <summary>File name of the lease of the attempt computing a stack (<c>StackLease</c>).</summary>
    public const string LeaseFileName = "lease.json";

    /// <summary>File name of the rejection record of a stack that could not be processed.</summary>
    public const string RejectionFileName = "rejection.json";

    /// <summary>Longest identifier accepted, so names stay well inside storage limits.</summary>
    public const int MaxIdentifierLength = 128;

    public PredictionLayout(string outputContainer, string modelContainer)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputContainer);
        ArgumentException.ThrowIfNullOrEmpty(modelContainer);
        OutputContainer = outputContainer;
        ModelContainer = modelContainer;
    }

    /// <summary>The container that holds predictions/.</summary>
    public string OutputContainer { get; }

    /// <summary>The container that holds models/.</summary>
    public string ModelContainer { get; }

    /// <summary>The storage areas this layout writes to or reads models from.</summary>
    public IEnumerable<StorageArea> Areas =>
        [new StorageArea(OutputContainer, PredictionsPrefix), new StorageArea(ModelContainer, ModelsPrefix)];

    /// <summary>predictions/{batchId}/ — every stack folder of one batch.</summary>
    public string BatchPrefix(string batchId) =>
        $"{PredictionsPrefix}{Checked(batchId, "batch id")}/";

    /// <summary>predictions/{batchId}/{stackId}/ — one stack's folder.</summary>
    public string StackPrefix(string batchId, string stackId) =>
        $"{BatchPrefix(batchId)}{Checked(stackId, "stack id")}/";

    /// <summary>A new attempt's folder predictions/{batchId}/{stackId}/attempt-{time}-{random}/ (sortable by start time).</summary>
    public string NewAttemptPrefix(string batchId, string stackId) =>
        $"{StackPrefix(batchId, stackId)}attempt-{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}/";

    /// <summary>The manifest of one stack.</summary>
    public BlobLocation Manifest(string batchId, string stackId) => StackFile(batchId, stackId, ManifestFileName);

    /// <summary>The record that the stack's result was published.</summary>
    public BlobLocation Announcement(string batchId, string stackId) => StackFile(batchId, stackId, AnnouncementFileName);

    /// <summary>The lease of the attempt computing the stack.</summary>
    public BlobLocation Lease(string batchId, string stackId) => StackFile(batchId, stackId, LeaseFileName);

    /// <summary>The rejection record of one stack.</summary>
    public BlobLocation Rejection(string batchId, string stackId) => StackFile(batchId, stackId, RejectionFileName);

    /// <summary>Any other file in a stack's folder (extras such as per-time-point images).</summary>
    public BlobLocation StackFile(string batchId, string stackId, string fileName) => new()
    {
        Container = OutputContainer,
        Name = StackPrefix(batchId, stackId) + Checked(fileName, "file name"),
    };

    /// <summary>models/{structure}/{version}/ — one model bundle's folder.</summary>
    public string ModelPrefix(string structure, string version) =>
        $"{ModelsPrefix}{Checked(structure, "structure")}/{Checked(version, "version")}/";

    /// <summary>A file of a model bundle, e.g. ModelFile("dna", "v3", "model.json").</summary>
    public BlobLocation ModelFile(string structure, string version, string fileName) => new()
    {
        Container = ModelContainer,
        Name = ModelPrefix(structure, version) + Checked(fileName, "file name"),
    };

    /// <summary>
    /// True for 1 to 128 characters of ASCII letters, digits, '.', '_' and '-', starting with a letter
    /// or digit: safe as a folder name in Azure and on every file system, and never "." or "..".
    /// </summary>
    public static bool IsValidIdentifier(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxIdentifierLength
        && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Throws <see cref="InvalidIdentifierException"/> unless <see cref="IsValidIdentifier"/> holds.</summary>
    public static string Checked(string? value, string kind)
    {
        if (IsValidIdentifier(value))
        {
            return value!;
        }

        var reason = string.IsNullOrEmpty(value) ? "it is empty"
            : value.Length > MaxIdentifierLength ? $"it is longer than {MaxIdentifierLength} characters"
            : !char.IsAsciiLetterOrDigit(value[0]) ? "it must start with a letter or digit"
            : "only letters, digits, '.', '_' and '-' are allowed";
        throw new InvalidIdentifierException(kind, value, reason);
    }
}
