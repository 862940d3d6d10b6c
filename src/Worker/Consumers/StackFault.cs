using LabelFree.Messages;
using MassTransit;
using MassTransit.Events;
using MassTransit.Metadata;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// Publishes Fault&lt;StackAcquired&gt; for a stack that ends in the error queue, and only then. MassTransit's own
/// fault publishing is off for this endpoint (it also fires when a transient fault outlives the in-process
/// retries although the message goes back to the queue and the stack completes later: a false alarm for anyone
/// alerting on the fault exchange).
/// </summary>
public static class StackFault
{
    public static Task PublishAsync(ConsumeContext<StackAcquired> context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        Fault<StackAcquired> fault = new FaultEvent<StackAcquired>(context.Message, context.MessageId, HostMetadataCache.Host, exception,
            MessageTypeCache<StackAcquired>.MessageTypeNames);
        return context.Publish(fault, CancellationToken.None);
    }
}
