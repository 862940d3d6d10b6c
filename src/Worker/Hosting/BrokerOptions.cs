using System.Globalization;

namespace LabelFree.Worker.Hosting;

/// <summary>The message broker and how stacks are consumed (LabelFree:Broker).</summary>
public sealed class BrokerOptions
{
    /// <summary>Retry intervals used when none are configured.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryIntervals =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    /// <summary>
    /// amqp://user:password@host:port/vhost of the RabbitMQ broker; null or empty runs the embedded
    /// in-memory transport (one process, nothing durable: for the demo and tests).
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Stacks in flight at once; also the prefetch count, so no message waits unacknowledged in a buffer. Model
    /// compute runs one stack at a time on the compute thread whatever this is; the default 2 lets the next stack
    /// download and decode, and the previous one encode and upload, while one computes.
    /// </summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// In-process retry intervals for transient failures before the message goes to the error queue.
    /// Null means <see cref="DefaultRetryIntervals"/> (configuration arrays cannot express "empty").
    /// </summary>
    public TimeSpan[]? RetryIntervals { get; set; }

    /// <summary>Longest one attempt at one stack may take; kept well under RabbitMQ's 30-minute consumer timeout.</summary>
    public TimeSpan StackTimeBudget { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Slack added on top of the worst-case processing time when deriving <see cref="ConsumerTimeout"/>.</summary>
    public TimeSpan ConsumerTimeoutMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Attempts at one stack that may end with their worker gone (killed, out of memory, node lost: the stack's
    /// lease was left behind) before the stack is taken for a poison message: the next delivery sends it to
    /// stack-acquired_error with that reason instead of killing another worker (docs/worker.md).
    /// </summary>
    public int MaxAbandonedAttempts { get; set; } = 3;

    /// <summary>
    /// How often a worker renews the lease of the stack it computes; a lease not renewed for three periods is
    /// taken for abandoned (its worker died) and taken over by the next delivery.
    /// </summary>
    public TimeSpan LeaseRenewal { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when no broker URL is set: the in-memory transport is used.</summary>
    public bool IsEmbedded => string.IsNullOrWhiteSpace(Url);

    /// <summary>Messages RabbitMQ hands the worker ahead of acknowledgement: equal to <see cref="Concurrency"/>.</summary>
    public int PrefetchCount => Concurrency;

    /// <summary>The retry intervals in effect.</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetryIntervals => RetryIntervals ?? DefaultRetryIntervals;

    /// <summary>
    /// The value for the queue's x-consumer-timeout argument: the longest a delivery can stay unacknowledged
    /// while in-process retries run (each attempt up to the budget, plus the waits between them), plus the
    /// margin. RabbitMQ closes the channel of a consumer that holds a message longer than this.
    /// </summary>
    public TimeSpan ConsumerTimeout =>
        StackTimeBudget * (1 + EffectiveRetryIntervals.Count)
        + EffectiveRetryIntervals.Aggregate(TimeSpan.Zero, (sum, interval) => sum + interval)
        + ConsumerTimeoutMargin;

    /// <summary>Summary without the broker password.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(IsEmbedded ? "embedded (in-memory)" : SecretRedaction.Url(Url!))}, concurrency {Concurrency}, " +
        $"retries [{string.Join(", ", EffectiveRetryIntervals)}], stack budget {StackTimeBudget}, consumer timeout {ConsumerTimeout}");
}
