namespace LabelFree.Worker.Storage;

/// <summary>
/// A batch id, stack id, structure, version or file name that cannot name a storage folder or file.
/// The worker answers it with StackRejected(InvalidMessage).
/// </summary>
public sealed class InvalidIdentifierException : Exception
{
    public InvalidIdentifierException(string kind, string? value, string reason)
        : base($"Invalid {kind} '{Printable(value)}': {reason}.")
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>What the identifier names: "batch id", "stack id", "structure", "version", "file name".</summary>
    public string Kind { get; }

    /// <summary>The value as given (may be null).</summary>
    public string? Value { get; }

    private static string Printable(string? text) =>
        text is null ? "(null)" : string.Concat(text.Take(200).Select(c => char.IsControl(c) ? '?' : c));
}
