using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// A blob location outside the configured containers and prefixes, or malformed (absolute, "..",
/// backslashes, empty segments, too long). The worker answers it with StackRejected(LocationNotAllowed).
/// </summary>
public sealed class LocationNotAllowedException : Exception
{
    public LocationNotAllowedException(string container, string name, string reason)
        : base($"Blob location '{Printable(container)}/{Printable(name)}' is not allowed: {reason}.")
    {
        Container = container;
        Name = name;
        Reason = reason;
    }

    public LocationNotAllowedException(BlobLocation location, string reason)
        : this(location.Container, location.Name, reason)
    {
    }

    /// <summary>The container as given.</summary>
    public string Container { get; }

    /// <summary>The blob name (or list prefix) as given.</summary>
    public string Name { get; }

    /// <summary>What is wrong with it, in words.</summary>
    public string Reason { get; }

    // Names come from messages written by other systems: keep control characters out of log lines.
    private static string Printable(string? text) =>
        text is null ? "(null)" : string.Concat(text.Take(300).Select(c => char.IsControl(c) ? '?' : c));
}
