using LabelFree.Messages;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// Receives StackAcquired, runs the <see cref="StackJob"/> within the per-stack time budget, publishes its
/// outcome (StackPredicted, EmRegistered or StackRejected) as the last step, and then records that the result was
/// announced: a stack that fails before publishes nothing, and a redelivery after a stop between the manifest and
/// the publish announces the result as it was computed (docs/worker.md). A defect is counted by its reason and
/// rethrown for the endpoint's error path (Fault and the error queue).
/// </summary>
public sealed partial class StackAcquiredConsumer : IConsumer<StackAcquired>
{
    private readonly StackJob _job;
    private readonly ModelCatalog _catalog;
    private readonly BrokerOptions _broker;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<StackAcquiredConsumer> _logger;
    private readonly IHostApplicationLifetime _lifetime;

    public StackAcquiredConsumer(StackJob job, ModelCatalog catalog, IOptions<WorkerOptions> options, WorkerTelemetry telemetry,
        IHostApplicationLifetime lifetime, ILogger<StackAcquiredConsumer> logger)
    {
        _lifetime = lifetime;
        ArgumentNullException.ThrowIfNull(options);
        _job = job;
        _catalog = catalog;
        _broker = options.Value.Broker;
        _telemetry = telemetry;
        _logger = logger;
    }

    public async Task Consume(ConsumeContext<StackAcquired> context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The bus starts after the catalog, so this only waits if that order is ever changed.
        await _catalog.WhenLoaded.WaitAsync(context.CancellationToken);

        // context.CancellationToken fires when the worker shuts down and its grace period is over: the
        // stack is abandoned and its message returned to the queue. The budget bounds one attempt.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        budget.CancelAfter(_broker.StackTimeBudget);
        _telemetry.StackStarted();
        try
        {
            var outcome = await _job.RunAsync(context.Message, budget.Token);
            if (outcome.Predicted is { } predicted)
            {
                await context.Publish(predicted, context.CancellationToken);
                _telemetry.StackPredicted();
            }
            else if (outcome.Registered is { } registered)
            {
                await context.Publish(registered, context.CancellationToken);
                _telemetry.StackPredicted();
            }
            else
            {
                await context.Publish(outcome.Rejected!, context.CancellationToken);
                _telemetry.StackRejected(outcome.Rejected!.Reason);
            }

            await _job.MarkAnnouncedAsync(outcome, context.CancellationToken);
        }
        catch (OperationCanceledException e) when (budget.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            _telemetry.StackFailed(StackFailure.Defect);
            var exceeded = new StackTimeBudgetExceededException(context.Message.BatchId, context.Message.StackId, _broker.StackTimeBudget, e);
            await StackFault.PublishAsync(context, exceeded);
            throw exceeded;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The consume token also fires when the broker connection drops: only a stopping host is a shutdown.
            Log.Abandoned(_logger, context.Message.BatchId, context.Message.StackId,
                _lifetime.ApplicationStopping.IsCancellationRequested ? "at shutdown" : "because the broker connection was lost");
            throw;
        }
        catch (NonFinitePredictionException e)
        {
            // Not the stack's fault and not passing: this model or this machine computes wrong, so say it loudly.
            _telemetry.StackFailed(StackFailure.NonFinitePrediction);
            Log.NonFinitePrediction(_logger, e, context.Message.BatchId, context.Message.StackId, e.Structure, e.Model, e.NonFiniteVoxels);
            await StackFault.PublishAsync(context, e);
            throw;
        }
        catch (Exception e)
        {
            var transient = TransientStackFault.IsTransient(e);
            if (e is StorageAccessDeniedException denied)
            {
                _telemetry.StorageAccessDenied();
                Log.AccessDenied(_logger, context.Message.BatchId, context.Message.StackId, denied.Message);
            }

            Log.Failed(_logger, e, context.Message.BatchId, context.Message.StackId, context.GetRetryAttempt(), transient ? "transient" : "defect");
            if (!transient)
            {
                // Transient attempts are counted by the storage retry metric and MassTransit's retry counter.
                _telemetry.StackFailed(StackFailure.Defect);
                await StackFault.PublishAsync(context, e);
            }

            throw;
        }
        finally
        {
            _telemetry.StackFinished();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Stack {BatchId}/{StackId} waits in the queue: {Explanation}")]
        public static partial void AccessDenied(ILogger logger, string batchId, string stackId, string explanation);

        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Stack {BatchId}/{StackId} abandoned {Why}; its message returns to the queue")]
        public static partial void Abandoned(ILogger logger, string batchId, string stackId, string why);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Stack {BatchId}/{StackId} failed on attempt {Retry} ({Kind})")]
        public static partial void Failed(ILogger logger, Exception exception, string batchId, string stackId, int retry, string kind);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Error,
            Message = "Stack {BatchId}/{StackId} failed: the prediction of {Structure} (model {Model}) holds {NonFiniteVoxels} NaN or infinite voxels; a compute defect, run 'labelfree selftest' on this machine")]
        public static partial void NonFinitePrediction(ILogger logger, Exception exception, string batchId, string stackId, string structure, string model, long nonFiniteVoxels);
    }
}
