using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Puts stack files where the worker reads them and prepares their StackAcquired messages. Each file
/// goes to {InputContainer}/{InputPrefix}{batch}/{file name}, and a small
/// predictions/{batch}/{stack}/submitted.json marker records the submission: batch-status counts a stack
/// with a marker and neither a manifest nor a rejection record as pending.
/// </summary>
public sealed class StackSubmission(IBlobStore store, PredictionLayout layout, string inputContainer, string inputPrefix)
{
    /// <summary>File name of the submission marker in a stack's folder.</summary>
    public const string MarkerFileName = "submitted.json";

    private static readonly string[] StackExtensions = [".ome.tiff", ".ome.tif", ".tiff", ".tif"];

    /// <summary>
    /// The stack id for a file: its name without the TIFF extension, with every character a stack id may
    /// not hold replaced by '-'. When anything had to change, 8 hex digits of the name's SHA-256 are added,
    /// so two different names never share an id. The same name always gives the same id (resubmitting a
    /// file finds its earlier result).
    /// </summary>
    public static string StackIdFor(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var stem = StackExtensions.FirstOrDefault(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase)) is { } extension
            ? fileName[..^extension.Length]
            : fileName;
        if (PredictionLayout.IsValidIdentifier(stem))
        {
            return stem;
        }

        var cleaned = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).TrimStart('.', '_', '-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)))[..8];
        var head = cleaned.Length == 0 ? "stack" : cleaned[..Math.Min(cleaned.Length, PredictionLayout.MaxIdentifierLength - 9)];
        return $"{head}-{hash}";
    }

    /// <summary>Uploads <paramref name="file"/>, writes its submission marker, and returns the message to publish.</summary>
    public async Task<StackAcquired> UploadAsync(
        FileInfo file,
        string batchId,
        ChannelSelector transmittedLightChannel,
        IReadOnlyList<string>? structures,
        Modality modality,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        PredictionLayout.Checked(batchId, "batch id");
        var stackId = StackIdFor(file.Name);
        var input = new BlobLocation { Container = inputContainer, Name = $"{inputPrefix}{batchId}/{file.Name}" };
        await using (var content = file.OpenRead())
        {
            await store.UploadAsync(input, content, "image/tiff", overwrite: true, cancellationToken: cancellationToken);
        }

        var message = new StackAcquired
        {
            StackId = stackId,
            BatchId = batchId,
            Input = input,
            Modality = modality,
            TransmittedLightChannel = transmittedLightChannel,
            Structures = structures,
            Metadata = new Dictionary<string, string> { ["file"] = file.Name },
        };
        var marker = new SubmittedMarker(stackId, batchId, input, DateTimeOffset.UtcNow);
        using var markerContent = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(marker, RecordJson.Options));
        await store.UploadAsync(layout.StackFile(batchId, stackId, MarkerFileName), markerContent, "application/json", overwrite: true,
            cancellationToken: cancellationToken);
        return message;
    }

    /// <summary>The content of submitted.json.</summary>
    public sealed record SubmittedMarker(string StackId, string BatchId, BlobLocation Input, DateTimeOffset SubmittedAt);
}
