using System.Text.Json;
using System.Text.Json.Serialization;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// manifest.json of one stack, written after every other output: its presence means the stack is done.
/// It records what went in (input hash, the request), which models ran (weights SHA-256), what came out
/// (output hash, channels, Pearson r) and how long each stage took, so a redelivered message can be
/// answered from it and a result can be traced back to its exact input and weights.
/// </summary>
public sealed record StackManifest
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required int FormatVersion { get; init; }

    public required string StackId { get; init; }

    public required string BatchId { get; init; }

    public required Modality Modality { get; init; }

    /// <summary>The input as read: location, SHA-256 of its bytes, shape and the voxel size used.</summary>
    public required ManifestInput Input { get; init; }

    /// <summary>The transmitted-light channel as the message asked for it.</summary>
    public required ChannelSelector RequestedTransmittedLightChannel { get; init; }

    /// <summary>The message's voxel size override, when it had one.</summary>
    public VoxelSizeMicrometres? VoxelSizeOverride { get; init; }

    /// <summary>The integrated prediction: location, SHA-256 and shape.</summary>
    public required ManifestOutput Output { get; init; }

    /// <summary>The models that ran, in output channel order.</summary>
    public required IReadOnlyList<ManifestModel> Models { get; init; }

    public required IReadOnlyList<PredictedChannel> Channels { get; init; }

    public required StageTimings Timings { get; init; }

    public required string WorkerHost { get; init; }

    /// <summary>The compute level and self-test verdicts the worker computed this stack with.</summary>
    public ComputeRecord? Compute { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The message's free metadata, copied.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>For an EM stack registered against an IF image: that reference image as it was read.</summary>
    public ManifestReference? Reference { get; init; }

    /// <summary>For an EM stack registered against an IF image: the event it published, republished for duplicates.</summary>
    public EmRegistered? Registration { get; init; }

    /// <summary>For every other stack: the event it published, republished for duplicates (absent in manifests written before it was recorded).</summary>
    public StackPredicted? Prediction { get; init; }

    /// <summary>The StackPredicted this manifest announces: the recorded one, or for an older manifest one built from its fields.</summary>
    [JsonIgnore]
    public StackPredicted Predicted => Prediction ?? new StackPredicted
    {
        StackId = StackId,
        BatchId = BatchId,
        Output = Output.Location,
        Manifest = Output.Location with { Name = Output.Location.Name[..(Output.Location.Name.LastIndexOf('/') + 1)] + "manifest.json" },
        Channels = Channels,
        Timings = Timings,
        InputShape = Input.Shape,
        OutputShape = Output.Shape,
        WorkerHost = WorkerHost,
        Reused = false,
        CompletedAt = CreatedAt,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">The bytes are not a manifest this worker can read.</exception>
    public static StackManifest Parse(ReadOnlySpan<byte> json, string nameForErrors)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<StackManifest>(json, Json)
                ?? throw new InvalidDataException($"Manifest '{nameForErrors}' is empty.");
            return manifest.FormatVersion == CurrentFormatVersion
                ? manifest
                : throw new InvalidDataException($"Manifest '{nameForErrors}' has format version {manifest.FormatVersion}; this worker reads {CurrentFormatVersion}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Manifest '{nameForErrors}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// True when this manifest is the result of the same request: same input bytes, same models and
    /// weights in the same order, same transmitted-light channel and voxel size. Ground-truth channels may
    /// differ: they change the reported Pearson r, never the prediction.
    /// </summary>
    public bool Matches(string inputSha256, IReadOnlyList<ManifestModel> models, StackAcquired message)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(message);
        return string.Equals(Input.Sha256, inputSha256, StringComparison.Ordinal)
            && Models.SequenceEqual(models)
            && Equals(RequestedTransmittedLightChannel, message.TransmittedLightChannel)
            && Equals(VoxelSizeOverride, message.VoxelSizeOverride);
    }

    /// <summary>What differs from the given request, in words (for the conflict rejection).</summary>
    public string Difference(string inputSha256, IReadOnlyList<ManifestModel> models, StackAcquired message)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(message);
        var differences = new List<string>();
        if (!string.Equals(Input.Sha256, inputSha256, StringComparison.Ordinal))
        {
            differences.Add($"input SHA-256 {Input.Sha256} (now {inputSha256})");
        }

        if (!Models.SequenceEqual(models))
        {
            differences.Add($"models [{string.Join(", ", Models)}] (now [{string.Join(", ", models)}])");
        }

        if (!Equals(RequestedTransmittedLightChannel, message.TransmittedLightChannel))
        {
            differences.Add("transmitted-light channel");
        }

        if (!Equals(VoxelSizeOverride, message.VoxelSizeOverride))
        {
            differences.Add("voxel size override");
        }

        return string.Join("; ", differences);
    }
}

/// <summary>The input of a stack as the manifest records it.</summary>
public sealed record ManifestInput(
    BlobLocation Location,
    string Sha256,
    long Bytes,
    ImageShape Shape,
    VoxelSizeMicrometres? VoxelSize,
    int TransmittedLightChannel,
    string TransmittedLightChannelName);

/// <summary>The reference IF image of an EM registration as the manifest records it.</summary>
public sealed record ManifestReference(BlobLocation Location, string Sha256, long Bytes, int Width, int Height, double PixelSizeMicrometres);

/// <summary>
/// The integrated prediction as the manifest records it. For an OME-Zarr store, <see cref="Location"/> is the
/// store's prefix, <see cref="Sha256"/> the digest of its blobs (SHA-256 of the sorted lines "key SHA-256(blob)")
/// and <see cref="Bytes"/> their total size.
/// </summary>
public sealed record ManifestOutput(BlobLocation Location, string Sha256, long Bytes, ImageShape Shape)
{
    public OutputFormat Format { get; init; } = OutputFormat.OmeTiff;
}

/// <summary>One model that contributed a channel.</summary>
/// <param name="ModelId">"structure/version", from the bundle's folder models/{structure}/{version}/.</param>
public sealed record ManifestModel(string Structure, string ModelId, string WeightsSha256)
{
    public override string ToString() => $"{ModelId} ({WeightsSha256[..Math.Min(12, WeightsSha256.Length)]})";
}
