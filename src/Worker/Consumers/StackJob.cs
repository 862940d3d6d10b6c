using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Consumers.Protocol;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// One stack from message to outcome: check the message, choose its work (an EM stack with a reference image is
/// registered, every other stack predicted), run it through the <see cref="StackProtocol"/>, and turn bad input
/// into a rejection with a rejection record. Transient and other faults (a non-finite prediction among them)
/// propagate to the consumer. Knows nothing about the broker: the consumer publishes what it returns.
/// </summary>
public sealed partial class StackJob
{
    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly IBlobStore _store;
    private readonly BlobLocationPolicy _policy;
    private readonly PredictionLayout _layout;
    private readonly ModelCatalog _catalog;
    private readonly StackProtocol _protocol;
    private readonly WorkerOptions _options;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<StackJob> _logger;

    public StackJob(
        IBlobStore store,
        BlobLocationPolicy policy,
        PredictionLayout layout,
        ModelCatalog catalog,
        StackProtocol protocol,
        IOptions<WorkerOptions> options,
        WorkerTelemetry telemetry,
        ILogger<StackJob> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _policy = policy;
        _layout = layout;
        _catalog = catalog;
        _protocol = protocol;
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>Processes one stack; a rejection is a normal outcome, not an exception.</summary>
    public async Task<StackOutcome> RunAsync(StackAcquired message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var request = StackRequest.Check(message, _policy, _catalog);
            IStackWork work = message is { Modality: Modality.Em, ReferenceImage: not null }
                ? new EmRegistrationWork(request, _catalog, _options, _telemetry)
                : new StackPredictionWork(request, _catalog, _options, _telemetry);
            var outcome = await _protocol.RunAsync(request, work, cancellationToken);
            Log.Done(_logger, request.BatchId, request.StackId, outcome.Predicted?.Reused ?? outcome.Registered!.Reused);
            return outcome;
        }
        catch (Exception e) when (StackRejection.TryClassify(e, out var reason))
        {
            var rejected = new StackRejected
            {
                StackId = message.StackId ?? "",
                BatchId = message.BatchId ?? "",
                Reason = reason,
                Message = e.Message,
                RejectedAt = DateTimeOffset.UtcNow,
            };
            await RecordRejectionAsync(rejected, cancellationToken);
            Log.Rejected(_logger, rejected.BatchId, rejected.StackId, reason.ToString(), e.Message);
            return StackOutcome.Refused(rejected);
        }
    }

    /// <summary>
    /// Records, after the consumer published <paramref name="outcome"/>'s result, that it was announced. Storage
    /// that fails here is logged, not raised: the event is out, and failing the message would publish it again;
    /// without the record a later duplicate is answered with reused false instead of true.
    /// </summary>
    public async Task MarkAnnouncedAsync(StackOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Rejected is not null)
        {
            return;
        }

        var (batchId, stackId) = outcome.Predicted is { } predicted ? (predicted.BatchId, predicted.StackId) : (outcome.Registered!.BatchId, outcome.Registered.StackId);
        try
        {
            await _protocol.MarkAnnouncedAsync(batchId, stackId, cancellationToken);
        }
        catch (Exception e) when (TransientStackFault.IsTransient(e))
        {
            Log.AnnouncementNotRecorded(_logger, e, batchId, stackId);
        }
    }

    private async Task RecordRejectionAsync(StackRejected rejected, CancellationToken cancellationToken)
    {
        // Without usable ids there is no folder to write into; the event alone reports it.
        if (!PredictionLayout.IsValidIdentifier(rejected.BatchId) || !PredictionLayout.IsValidIdentifier(rejected.StackId))
        {
            return;
        }

        var location = _layout.Rejection(rejected.BatchId, rejected.StackId);

        // A rejection record is never replaced: the first one stays (a stack id with a result is refused without one).
        if (rejected.Reason == RejectionReason.InvalidMessage && await _store.ExistsAsync(_layout.Manifest(rejected.BatchId, rejected.StackId), cancellationToken))
        {
            return;
        }

        await _store.TryCreateAsync(location, JsonSerializer.SerializeToUtf8Bytes(rejected, RecordJson), "application/json",
            cancellationToken: cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Stack {BatchId}/{StackId} done (reused: {Reused})")]
        public static partial void Done(ILogger logger, string batchId, string stackId, bool reused);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Stack {BatchId}/{StackId} was published, but storage failed to record that; a later duplicate will be announced as new")]
        public static partial void AnnouncementNotRecorded(ILogger logger, Exception exception, string batchId, string stackId);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Stack {BatchId}/{StackId} rejected ({Reason}): {Explanation}")]
        public static partial void Rejected(ILogger logger, string batchId, string stackId, string reason, string explanation);
    }
}
