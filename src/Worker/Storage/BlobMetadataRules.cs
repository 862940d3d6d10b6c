namespace LabelFree.Worker.Storage;

/// <summary>
/// The metadata both stores accept: Azure sends metadata as HTTP headers, so keys must be C#-identifier-like
/// and values printable ASCII. The local store enforces the same rules so code tried locally works on Azure.
/// </summary>
public static class BlobMetadataRules
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first key or value Azure would refuse.</summary>
    public static void Check(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (!IsValidKey(key))
            {
                throw new ArgumentException(
                    $"Blob metadata key '{key}' is not allowed: use letters, digits and '_', not starting with a digit.",
                    nameof(metadata));
            }

            if (value is null || value.Any(c => c < ' ' || c > '~'))
            {
                throw new ArgumentException($"Blob metadata value of '{key}' must be printable ASCII.", nameof(metadata));
            }
        }
    }

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 256
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
