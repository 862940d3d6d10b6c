using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// A StackAcquired message checked against the configuration before any byte is downloaded: ids that can
/// name folders, an input inside the allowed storage, channel selectors with exactly one of index and
/// name, a positive voxel size, ground-truth structures named once, bounded metadata, and structures that have models
/// for the modality.
/// </summary>
public sealed record StackRequest(
    StackAcquired Message,
    IReadOnlyList<LoadedStructureModel> Models,
    VoxelSize? VoxelSizeOverride)
{
    /// <summary>The most <c>metadata</c> entries a message may carry (docs/messages.md); it is copied into every manifest.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest <c>metadata</c> key, in characters.</summary>
    public const int MaxMetadataKeyLength = 256;

    /// <summary>The longest <c>metadata</c> value, in characters (4 KiB).</summary>
    public const int MaxMetadataValueLength = 4096;

    public string BatchId => Message.BatchId;

    public string StackId => Message.StackId;

    /// <exception cref="StackRejectedException">The message cannot be processed; the reason says why.</exception>
    /// <exception cref="InvalidIdentifierException">A batch or stack id cannot name a folder.</exception>
    /// <exception cref="LocationNotAllowedException">The input lies outside the allowed storage.</exception>
    public static StackRequest Check(StackAcquired message, BlobLocationPolicy policy, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(catalog);
        PredictionLayout.Checked(message.BatchId, "batch id");
        PredictionLayout.Checked(message.StackId, "stack id");
        if (message.Input is null || message.TransmittedLightChannel is null)
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage, "The message needs an input location and a transmitted-light channel.");
        }

        policy.CheckInput(message.Input);
        if (message.ReferenceImage is { } reference)
        {
            policy.CheckInput(reference);
        }

        if (message.ReferencePixelSizeMicrometres is { } referencePixel && !(double.IsFinite(referencePixel) && referencePixel > 0))
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"referencePixelSizeMicrometres must be positive and finite, got {referencePixel.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        if (!Enum.IsDefined(message.Modality))
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage, $"Unknown modality {message.Modality}.");
        }

        CheckSelector(message.TransmittedLightChannel, "transmittedLightChannel");
        CheckMetadata(message.Metadata);
        var models = SelectModels(message, catalog);
        if (message.GroundTruthChannels is { } truths)
        {
            // Structures are matched ignoring case, so "dna" and "DNA" would name one structure twice.
            var twice = truths.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new StackRejectedException(RejectionReason.InvalidMessage,
                    $"groundTruthChannels names structure '{twice.Key}' more than once ({string.Join(", ", twice.Select(k => $"'{k}'"))}); structure names ignore case.");
            }

            foreach (var (structure, selector) in truths)
            {
                if (!models.Any(m => string.Equals(m.Structure, structure, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new StackRejectedException(RejectionReason.InvalidMessage,
                        $"groundTruthChannels names structure '{structure}', which is not predicted for this stack ({string.Join(", ", models.Select(m => m.Structure))}).");
                }

                CheckSelector(selector, $"groundTruthChannels.{structure}");
            }
        }

        VoxelSize? voxelSize = null;
        if (message.VoxelSizeOverride is { } size)
        {
            voxelSize = new VoxelSize(size.Z, size.Y, size.X);
            if (!voxelSize.Value.IsValid)
            {
                throw new StackRejectedException(RejectionReason.InvalidMessage,
                    $"voxelSizeOverride must be positive and finite on every axis, got {voxelSize.Value}.");
            }
        }

        return new StackRequest(message, models, voxelSize);
    }

    private static IReadOnlyList<LoadedStructureModel> SelectModels(StackAcquired message, ModelCatalog catalog)
    {
        var available = catalog.ForModality(message.Modality);
        if (available.Count == 0)
        {
            throw new StackRejectedException(RejectionReason.UnknownStructure,
                $"No structure models are configured for modality {message.Modality}.");
        }

        if (message.Structures is not { Count: > 0 } requested)
        {
            return available;
        }

        var selected = new List<LoadedStructureModel>();
        foreach (var structure in requested)
        {
            var model = available.FirstOrDefault(m => string.Equals(m.Structure, structure, StringComparison.OrdinalIgnoreCase))
                ?? throw new StackRejectedException(RejectionReason.UnknownStructure,
                    $"No model predicts structure '{structure}' from {message.Modality} (available: {string.Join(", ", available.Select(m => m.Structure))}).");
            if (selected.Contains(model))
            {
                throw new StackRejectedException(RejectionReason.InvalidMessage, $"Structure '{structure}' is requested twice.");
            }

            selected.Add(model);
        }

        return selected;
    }

    // Metadata is free text from the acquisition side, copied into every manifest: bounded so that one message
    // cannot make manifests (and the worker's memory) arbitrarily large.
    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"metadata has {metadata.Count} entries; at most {MaxMetadataEntries} are allowed.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength)
            {
                throw new StackRejectedException(RejectionReason.InvalidMessage,
                    $"metadata key '{Shortened(key)}' is {key.Length} characters; keys must have 1 to {MaxMetadataKeyLength}.");
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw new StackRejectedException(RejectionReason.InvalidMessage,
                    $"metadata value of '{Shortened(key)}' is {(value is null ? "null" : $"{value.Length} characters")}; values must be strings of at most {MaxMetadataValueLength}.");
            }
        }

        static string Shortened(string text) => text.Length <= 64 ? text : $"{text[..64]}...";
    }

    private static void CheckSelector(ChannelSelector? selector, string field)
    {
        if (selector is null || selector.Index.HasValue == (selector.Name is not null))
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage, $"{field} must give exactly one of index and name.");
        }

        if (selector.Name is { Length: 0 })
        {
            throw new StackRejectedException(RejectionReason.InvalidMessage, $"{field}.name is empty.");
        }
    }
}
