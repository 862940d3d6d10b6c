using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>
/// Command-like event from the acquisition side: a transmitted-light stack has been written to
/// storage and should be turned into predicted fluorescence channels. Often published by a
/// non-.NET client as plain JSON (camelCase names, enums as strings); see docs/messages.md.
/// </summary>
public sealed record StackAcquired
{
    /// <summary>Identifies the stack within its batch; names its output folder (letters, digits, '.', '_', '-').</summary>
    public required string StackId { get; init; }

    /// <summary>Identifies the acquisition batch (e.g. one overnight plate); groups outputs under one folder.</summary>
    public required string BatchId { get; init; }

    /// <summary>Where the input image (TIFF or OME-TIFF) is stored.</summary>
    public required BlobLocation Input { get; init; }

    /// <summary>The transmitted-light technique; selects the structure models that apply.</summary>
    public required Modality Modality { get; init; }

    /// <summary>Which channel of the input holds the transmitted-light image.</summary>
    public required ChannelSelector TransmittedLightChannel { get; init; }

    /// <summary>Voxel size to use instead of the one in the file's metadata (for files without or with wrong metadata).</summary>
    public VoxelSizeMicrometres? VoxelSizeOverride { get; init; }

    /// <summary>Structures to predict (e.g. "dna", "membrane"); null or empty means every model configured for the modality.</summary>
    public IReadOnlyList<string>? Structures { get; init; }

    /// <summary>
    /// For quality-control acquisitions: per structure, the channel of the input that holds the real
    /// fluorescence image; the worker then reports Pearson r between prediction and this channel.
    /// </summary>
    [JsonConverter(typeof(OrdinalKeyDictionaryConverter<ChannelSelector>))]
    public IReadOnlyDictionary<string, ChannelSelector>? GroundTruthChannels { get; init; }

    /// <summary>For EM: the immunofluorescence image to register the predicted fluorescence against.</summary>
    public BlobLocation? ReferenceImage { get; init; }

    /// <summary>For EM: pixel size of <see cref="ReferenceImage"/> in micrometres, when its file does not say.</summary>
    public double? ReferencePixelSizeMicrometres { get; init; }

    /// <summary>Free key/value pairs from the acquisition side (plate, well, operator...), copied into the manifest.</summary>
    [JsonConverter(typeof(OrdinalKeyDictionaryConverter<string>))]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
