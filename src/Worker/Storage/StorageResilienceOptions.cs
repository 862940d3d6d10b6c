namespace LabelFree.Worker.Storage;

/// <summary>
/// How hard the worker tries before calling storage unavailable (configuration section
/// LabelFree:Storage:Resilience). Polly owns every retry: the Azure SDK's own retries are off, so the
/// two never multiply.
/// </summary>
public sealed class StorageResilienceOptions
{
    /// <summary>Retries after the first attempt (0 = none).</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>Delay before the first retry; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound on any one retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time limit on one attempt of one operation (a whole multi-block upload counts as one).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time limit on one HTTP request inside an attempt (the SDK's network timeout).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens the circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within the sampling window before the circuit may open.</summary>
    public int CircuitMinimumThroughput { get; set; } = 8;

    /// <summary>The window over which failures are counted.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails calls at once before letting one through to test storage.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
