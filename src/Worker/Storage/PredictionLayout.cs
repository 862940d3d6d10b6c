using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// The deterministic names of everything the worker writes. A stack's outputs always land in
/// predictions/{batchId}/{stackId}/, so a redelivered message finds the earlier result instead of
/// making a second one; model bundles live in models/{structure}/{version}/.
/// </summary>
public sealed class PredictionLayout
{
    /// <summary>Prefix of all prediction outputs in the output container.</summary>
    public const string PredictionsPrefix = "predictions/";

    /// <summary>Prefix of all model bundles in the model container.</summary>
    public const string ModelsPrefix = "models/";

    /// <summary>File name of the integrated prediction inside a stack's folder.</summary>
    public const string PredictionFileName = "prediction.ome.tiff";

    /// <summary>File name of the manifest, written last: its presence means the stack is done.</summary>
    public const string ManifestFileName = "manifest.json";

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

    /// <summary>The integrated multi-channel OME-TIFF of one stack.</summary>
    public BlobLocation Prediction(string batchId, string stackId) => StackFile(batchId, stackId, PredictionFileName);

    /// <summary>The manifest of one stack.</summary>
    public BlobLocation Manifest(string batchId, string stackId) => StackFile(batchId, stackId, ManifestFileName);

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
