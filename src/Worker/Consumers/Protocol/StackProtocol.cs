using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// The protocol every stack follows, written once: (1) check each input's size, download and hash it; (2) answer
/// from the manifest when one exists; (3) compute (the <see cref="IStackWork"/>), holding the stack's lease, taken
/// before the download, so a duplicate of a stack being computed elsewhere steps back without work; (4) look at the manifest again;
/// (5) upload the outputs into a folder of this attempt's own; (6) create the manifest, only if absent: the commit
/// point; (7) return the event the manifest records. After the event is published, <see cref="MarkAnnouncedAsync"/>
/// records that, so a later duplicate is told apart from a result whose announcement never went out.
/// </summary>
public sealed partial class StackProtocol
{
    private readonly IBlobStore _store;
    private readonly PredictionLayout _layout;
    private readonly StorageOptions _storage;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<StackProtocol> _logger;

    public StackProtocol(IBlobStore store, PredictionLayout layout, IOptions<WorkerOptions> options, WorkerTelemetry telemetry, ILogger<StackProtocol> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _layout = layout;
        _storage = options.Value.Storage;
        _telemetry = telemetry;
        _logger = logger;
    }

    public async Task<StackOutcome> RunAsync(StackRequest request, IStackWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(work);
        var total = Stopwatch.StartNew();
        var manifestLocation = _layout.Manifest(request.BatchId, request.StackId);
        var attempt = AttemptFolder.New(_layout, request.BatchId, request.StackId);

        // Before downloading anything: a duplicate of a stack being computed elsewhere steps back here, cheaply.
        await using var lease = await _store.ExistsAsync(manifestLocation, cancellationToken)
            ? null
            : await StackLease.TakeAsync(_store, _layout.Lease(request.BatchId, request.StackId), attempt.Prefix, cancellationToken);
        var inputs = new List<DownloadedInput>();
        foreach (var location in work.Inputs)
        {
            inputs.Add(await DownloadAsync(location, cancellationToken));
        }

        var download = total.Elapsed;
        _telemetry.RecordStage(WorkerStage.Download, download);

        if (await ReadManifestAsync(manifestLocation, cancellationToken) is { } existing)
        {
            return await AnswerAsync(existing, work, inputs, request, cancellationToken);
        }

        var computed = await work.ComputeAsync(inputs, cancellationToken);

        // Look again just before writing: a duplicate delivered to another worker may have finished meanwhile.
        if (await ReadManifestAsync(manifestLocation, cancellationToken) is { } finished)
        {
            return await AnswerAsync(finished, work, inputs, request, cancellationToken);
        }

        var upload = Stopwatch.StartNew();
        var stored = new List<StoredOutput>();
        foreach (var output in computed.Outputs)
        {
            stored.Add(await output.UploadAsync(_store, attempt, cancellationToken));
        }

        var timings = computed.Timings with
        {
            DownloadSeconds = download.TotalSeconds,
            UploadSeconds = upload.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
        var manifest = computed.Manifest(new StackCommit(stored, timings, manifestLocation, DateTimeOffset.UtcNow));
        if (!await _store.TryCreateAsync(manifestLocation, manifest.ToJsonBytes(), "application/json", cancellationToken: cancellationToken))
        {
            var winner = await ReadManifestAsync(manifestLocation, cancellationToken)
                ?? throw new InvalidOperationException($"Manifest {manifestLocation} was reported to exist but cannot be read.");

            // A retried create whose first try went through names this attempt's outputs: that is this result.
            if (!Equals(winner.Output.Location, manifest.Output.Location))
            {
                await DiscardAsync(attempt, cancellationToken);
                return await AnswerAsync(winner, work, inputs, request, cancellationToken);
            }

            manifest = winner;
        }

        _telemetry.RecordStage(WorkerStage.Upload, upload.Elapsed);
        return StackOutcome.From(manifest, reused: false);
    }

    /// <summary>Records that the stack's result was published; from now on a duplicate is answered as reused.</summary>
    public async Task MarkAnnouncedAsync(string batchId, string stackId, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.SerializeToUtf8Bytes(new { announcedAt = DateTimeOffset.UtcNow });
        await _store.TryCreateAsync(_layout.Announcement(batchId, stackId), record, "application/json", cancellationToken: cancellationToken);
    }

    // A stack with a manifest is done: the first result stays. The same request gets that result (reused once
    // it was announced); a different request is refused, unless the first result was never announced and this is
    // the same acquisition (a redelivery after a model rollout): then the first result goes out as it was computed.
    private async Task<StackOutcome> AnswerAsync(StackManifest existing, IStackWork work, IReadOnlyList<DownloadedInput> inputs,
        StackRequest request, CancellationToken cancellationToken)
    {
        var announced = await _store.ExistsAsync(_layout.Announcement(request.BatchId, request.StackId), cancellationToken);
        var conflict = work.Conflict(existing, inputs);
        if (conflict is null || (!announced && string.Equals(existing.Input.Sha256, inputs[0].Sha256, StringComparison.Ordinal)))
        {
            Log.Answered(_logger, request.BatchId, request.StackId, announced ? "republishing its result" : "announcing its result, which never went out");
            return StackOutcome.From(existing, reused: announced);
        }

        throw new StackRejectedException(RejectionReason.InvalidMessage,
            $"Stack {request.BatchId}/{request.StackId} already has a result from a different request ({conflict}); " +
            "send the new acquisition under a new stack id.");
    }

    private async Task<DownloadedInput> DownloadAsync(BlobLocation location, CancellationToken cancellationToken)
    {
        var properties = await _store.GetPropertiesAsync(location, cancellationToken);
        if (properties.Length > _storage.MaxInputBytes)
        {
            throw new StackRejectedException(RejectionReason.TooLarge,
                $"{location} holds {properties.Length} bytes; the worker reads at most {_storage.MaxInputBytes} (LabelFree:Storage:MaxInputBytes).");
        }

        using var buffer = new MemoryStream((int)properties.Length);
        await _store.DownloadAsync(location, buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return new DownloadedInput(location, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    // The losing attempt's outputs are named by no manifest; removing them only saves space, so a failure is logged, not raised.
    private async Task DiscardAsync(AttemptFolder attempt, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var blob in await _store.ListAsync(attempt.Container, attempt.Prefix, cancellationToken))
            {
                await _store.DeleteAsync(blob.Location, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DiscardFailed(_logger, e, attempt.Prefix);
        }
    }

    private async Task<StackManifest?> ReadManifestAsync(BlobLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return StackManifest.Parse(await _store.ReadAllBytesAsync(location, cancellationToken), location.ToString());
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Stack {BatchId}/{StackId} already done: {Action}")]
        public static partial void Answered(ILogger logger, string batchId, string stackId, string action);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not remove the outputs of a losing attempt under {Prefix}; no manifest names them")]
        public static partial void DiscardFailed(ILogger logger, Exception exception, string prefix);
    }
}
