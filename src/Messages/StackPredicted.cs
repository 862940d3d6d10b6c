namespace LabelFree.Messages;

/// <summary>
/// Event: a stack's predicted fluorescence channels are in storage, with the manifest written last.
/// Published once per completed stack, and again (with <see cref="Reused"/> true) when a duplicate
/// message finds the finished result after it was announced.
/// </summary>
public sealed record StackPredicted
{
    /// <summary>The stack's identifier, from <see cref="StackAcquired.StackId"/>.</summary>
    public required string StackId { get; init; }

    /// <summary>The batch's identifier, from <see cref="StackAcquired.BatchId"/>.</summary>
    public required string BatchId { get; init; }

    /// <summary>
    /// The prediction, one channel per predicted structure (time points kept): an OME-TIFF blob, or for
    /// <see cref="OutputFormat.OmeZarr"/> the prefix of the store's blobs (".../prediction.ome.zarr").
    /// </summary>
    public required BlobLocation Output { get; init; }

    /// <summary>The format of <see cref="Output"/>; OME-TIFF when absent (events from before the setting existed).</summary>
    public OutputFormat OutputFormat { get; init; } = OutputFormat.OmeTiff;

    /// <summary>The manifest (input hash, models with SHA-256, metrics, timings) written after every output.</summary>
    public required BlobLocation Manifest { get; init; }

    /// <summary>The output's channels in order.</summary>
    public required IReadOnlyList<PredictedChannel> Channels { get; init; }

    /// <summary>Seconds per processing stage (of the original computation when <see cref="Reused"/> is true).</summary>
    public required StageTimings Timings { get; init; }

    /// <summary>Shape of the input image.</summary>
    public required ImageShape InputShape { get; init; }

    /// <summary>Shape of the output image (same T, Z, Y, X as the input; C = number of structures).</summary>
    public required ImageShape OutputShape { get; init; }

    /// <summary>Host name of the worker that computed the result.</summary>
    public required string WorkerHost { get; init; }

    /// <summary>
    /// True when a duplicate or redelivered message republished a result that had already been announced. A
    /// result whose first announcement never went out (the worker stopped between the manifest and the publish)
    /// is announced with false, exactly as it was computed.
    /// </summary>
    public required bool Reused { get; init; }

    /// <summary>When the result was completed (UTC offset included).</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
