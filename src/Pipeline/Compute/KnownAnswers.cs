using System.Security.Cryptography;

namespace LabelFree.Pipeline.Compute;

/// <summary>The known answers every compute path is checked against, built into this assembly (known-answers.npz).</summary>
public static class KnownAnswers
{
    private const string ResourceName = "LabelFree.Pipeline.Compute.known-answers.npz";

    private static readonly Lazy<byte[]> Bytes = new(ReadResource);

    /// <summary>SHA-256 of the fixture: part of every cached verdict's key, so new answers mean a new test.</summary>
    public static string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value));

    /// <summary>The 2D and 3D cases.</summary>
    public static IReadOnlyList<KnownAnswerCase> Cases()
    {
        using var stream = new MemoryStream(Bytes.Value, writable: false);
        var arrays = NumpyArchive.Read(stream);
        return arrays.Keys.Select(key => key[..key.IndexOf('/', StringComparison.Ordinal)])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(name => new KnownAnswerCase(name, arrays))
            .ToList();
    }

    private static byte[] ReadResource()
    {
        using var stream = typeof(KnownAnswers).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The build lacks the embedded resource {ResourceName}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
