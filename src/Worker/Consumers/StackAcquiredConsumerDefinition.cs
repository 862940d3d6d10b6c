using LabelFree.Worker.Hosting;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The stack-acquired endpoint: plain JSON accepted next to MassTransit's envelope, prefetch equal to
/// concurrency (LabelFree:Broker:Concurrency), short in-process retries for transient faults only, then
/// the message goes back to the queue (<see cref="TransientFaultRequeueFilter"/>); any other fault
/// becomes Fault&lt;StackAcquired&gt; and the stack-acquired_error queue at once. A kill switch stops the
/// endpoint while most messages fail, and the in-memory outbox publishes only for work that finished.
/// </summary>
public sealed class StackAcquiredConsumerDefinition : ConsumerDefinition<StackAcquiredConsumer>
{
    /// <summary>The queue (and exchange) name of the endpoint.</summary>
    public const string QueueName = "stack-acquired";

    // Trips when half of at least 10 recent stacks failed (storage down, a broken model), and tries again
    // after a minute rather than turning every queued stack into an error.
    private const int KillSwitchActivationThreshold = 10;
    private const double KillSwitchTripThreshold = 0.5;
    private static readonly TimeSpan KillSwitchRestartTimeout = TimeSpan.FromMinutes(1);

    private readonly BrokerOptions _broker;

    public StackAcquiredConsumerDefinition(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _broker = options.Value.Broker;
        EndpointName = QueueName;
        ConcurrentMessageLimit = _broker.Concurrency;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StackAcquiredConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);

        // Python clients send the contract as plain JSON; MassTransit clients send the envelope. Both work.
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.Default, isDefault: true);
        endpointConfigurator.PrefetchCount = _broker.PrefetchCount;

        // The consumer publishes Fault<StackAcquired> itself, for defects only (StackFault).
        endpointConfigurator.PublishFaults = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Honoured from RabbitMQ 3.11.15 on; older brokers apply their server-wide consumer_timeout (docs/messages.md).
            rabbit.SetQueueArgument("x-consumer-timeout", (long)_broker.ConsumerTimeout.TotalMilliseconds);
        }

        endpointConfigurator.ConfigureError(error =>
        {
            error.UseFilter(new TransientFaultRequeueFilter());
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        endpointConfigurator.UseKillSwitch(k => k
            .SetActivationThreshold(KillSwitchActivationThreshold)
            .SetTripThreshold(KillSwitchTripThreshold)
            .SetRestartTimeout(KillSwitchRestartTimeout));
        if (_broker.EffectiveRetryIntervals.Count > 0)
        {
            endpointConfigurator.UseMessageRetry(retry =>
            {
                retry.Intervals(_broker.EffectiveRetryIntervals.ToArray());
                retry.Handle<Exception>(TransientStackFault.IsTransient);
            });
        }

        // No outbox: the consumer publishes as its last step and then records the announcement, which needs the
        // publish to have happened (StackAcquiredConsumer).
    }
}
