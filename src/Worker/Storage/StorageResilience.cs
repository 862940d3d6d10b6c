using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace LabelFree.Worker.Storage;

/// <summary>
/// Builds the Polly pipeline around every Azure Blob call: retry (exponential back-off with jitter)
/// outside a circuit breaker outside a per-attempt timeout, all handling the same transient faults.
/// </summary>
public static class StorageResilience
{
    /// <summary>The pipeline; <paramref name="onRetry"/> hears of each retry before its delay.</summary>
    public static ResiliencePipeline Build(
        StorageResilienceOptions options,
        Action<StorageRetry>? onRetry = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(Handles(args.Outcome, args.Context)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    onRetry?.Invoke(new StorageRetry(
                        args.Context.OperationKey ?? "storage", args.AttemptNumber, args.RetryDelay, args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(Handles(args.Outcome, args.Context)),
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
        });

        // Innermost, so each attempt gets its own time limit rather than all attempts sharing one.
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    private static bool Handles(Outcome<object> outcome, ResilienceContext context) =>
        outcome.Exception is { } fault && TransientStorageFault.IsTransient(fault, context.CancellationToken);
}
