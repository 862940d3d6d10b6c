using LabelFree.Messages;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// What one kind of stack contributes to the <see cref="StackProtocol"/>: the blobs it reads, how an existing
/// manifest is compared with this request, and the computation with its outputs. Everything else (download,
/// hashing, the manifest checks, uploads, the commit, announcements) belongs to the protocol.
/// </summary>
public interface IStackWork
{
    /// <summary>The blobs to download and hash, in the order <see cref="ComputeAsync"/> receives them; the first is the stack's input.</summary>
    IReadOnlyList<BlobLocation> Inputs { get; }

    /// <summary>Null when <paramref name="existing"/> is the result of this same request; otherwise what differs, in words.</summary>
    string? Conflict(StackManifest existing, IReadOnlyList<DownloadedInput> inputs);

    /// <summary>Decodes, computes and encodes; uploads nothing.</summary>
    Task<ComputedStack> ComputeAsync(IReadOnlyList<DownloadedInput> inputs, CancellationToken cancellationToken);
}

/// <summary>A downloaded blob: where it came from, its bytes and their SHA-256.</summary>
public sealed record DownloadedInput(BlobLocation Location, byte[] Bytes, string Sha256);

/// <summary>
/// A computed stack: its outputs (the first is the prediction the manifest's output names), the stage timings of
/// the computation, and how to write its manifest once the outputs are stored.
/// </summary>
public sealed record ComputedStack(
    IReadOnlyList<StackOutput> Outputs,
    StageTimings Timings,
    Func<StackCommit, StackManifest> Manifest)
{
    /// <summary>The timings of a computation's own stages; download, upload and the total are the protocol's to measure.</summary>
    public static StageTimings ComputationTimings(TimeSpan decode, TimeSpan preprocess, IReadOnlyDictionary<string, TimeSpan> inference, TimeSpan encode) => new()
    {
        DownloadSeconds = 0,
        UploadSeconds = 0,
        TotalSeconds = 0,
        DecodeSeconds = decode.TotalSeconds,
        PreprocessSeconds = preprocess.TotalSeconds,
        InferenceSeconds = inference.ToDictionary(p => p.Key, p => p.Value.TotalSeconds),
        EncodeSeconds = encode.TotalSeconds,
    };
}

/// <summary>What the protocol knows when it writes the manifest: the stored outputs (in order), the full timings, the manifest's location.</summary>
public sealed record StackCommit(IReadOnlyList<StoredOutput> Outputs, StageTimings Timings, BlobLocation ManifestLocation, DateTimeOffset CommittedAt);
