using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>
/// Why a stack was rejected: a fixed set, so dashboards and clients can count and react to each.
/// Serialised as its name (e.g. "Truncated").
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectionReason>))]
public enum RejectionReason
{
    /// <summary>The input is not a TIFF file.</summary>
    NotATiff,

    /// <summary>The TIFF ends before all of its image data.</summary>
    Truncated,

    /// <summary>The TIFF's structure or compressed data is damaged.</summary>
    CorruptImage,

    /// <summary>A valid TIFF in a form the worker does not read (sample format, bit depth, layout).</summary>
    UnsupportedFormat,

    /// <summary>An image dimension is zero.</summary>
    EmptyDimension,

    /// <summary>The stack has more voxels than the configured cap.</summary>
    TooLarge,

    /// <summary>The file's metadata contradicts its data (e.g. declared planes or channels missing).</summary>
    MetadataMismatch,

    /// <summary>The image holds NaN or infinite values.</summary>
    NonFiniteValues,

    /// <summary>A channel index or name in the message does not exist in the input.</summary>
    ChannelOutOfRange,

    /// <summary>A requested structure has no model configured for the modality.</summary>
    UnknownStructure,

    /// <summary>The input blob (or reference image) does not exist.</summary>
    MissingInput,

    /// <summary>A location in the message is outside the allowed containers or prefixes, or malformed.</summary>
    LocationNotAllowed,

    /// <summary>The message itself is invalid (bad identifiers, contradictory or missing fields).</summary>
    InvalidMessage,

    /// <summary>The image has too little content to process (e.g. EM registration found too few features).</summary>
    InsufficientContent,
}
