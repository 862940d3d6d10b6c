namespace LabelFree.Messages;

/// <summary>
/// Picks one channel of a multi-channel stack, either by zero-based index or by the channel name
/// stored in the file (e.g. an OME-TIFF channel name). Exactly one of the two should be set; a
/// selector with both or neither is rejected as an invalid message.
/// </summary>
public sealed record ChannelSelector
{
    /// <summary>Zero-based channel index, or null when selecting by name.</summary>
    public int? Index { get; init; }

    /// <summary>The channel's name in the file (compared case-insensitively), or null when selecting by index.</summary>
    public string? Name { get; init; }
}
