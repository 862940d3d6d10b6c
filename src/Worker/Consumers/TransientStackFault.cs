using LabelFree.Worker.Consumers.Protocol;
using LabelFree.Worker.Storage;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// Faults that say nothing about the stack itself: storage unreachable after its own retries, the broker
/// connection dropped, a timeout. The message is retried in process and then returned to the queue;
/// it never goes to the error queue for these.
/// </summary>
public static class TransientStackFault
{
    public static bool IsTransient(Exception fault) => fault switch
    {
        StorageUnavailableException => true,

        // Waits in the queue for the operator to fix the credentials; failing every stack to _error would lose them.
        StorageAccessDeniedException => true,

        // A duplicate of a stack another worker is computing: answered from its manifest on a later delivery.
        StackInProgressException => true,
        TimeoutException => true,
        TransportUnavailableException => true,
        ConnectionException => true,
        RequestTimeoutException => true,
        AlreadyClosedException => true,
        OperationInterruptedException => true,
        BrokerUnreachableException => true,
        ConnectFailureException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => fault.InnerException is { } inner && fault is not StackRejectedException && IsTransient(inner),
    };
}
