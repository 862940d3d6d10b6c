using System.Runtime.ExceptionServices;
using MassTransit;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// First filter of the endpoint's error pipe. A transient fault that outlived the in-process retries is
/// thrown back to the transport, which returns the message to the queue (RabbitMQ: basic.nack with
/// requeue), so the stack is tried again when storage or the broker is back. So is a stack cancelled
/// because the worker is stopping (its grace period ran out) or lost its broker connection: the stack is
/// fine, another worker takes it. Any other fault passes on to the usual Fault event and the _error queue.
/// </summary>
public sealed class TransientFaultRequeueFilter : IFilter<ExceptionReceiveContext>
{
    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (TransientStackFault.IsTransient(context.Exception) || context.Exception is OperationCanceledException)
        {
            ExceptionDispatchInfo.Capture(context.Exception).Throw();
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("requeue-transient-faults");
}
