using System.Collections.Concurrent;
using MassTransit;

namespace LabelFree.Worker.Tests.Consumers.Specs;

/// <summary>
/// Every message the in-process worker published, as a snapshot that never waits. (The harness's own Published
/// list waits for a period of quiet on every read, which would stall each assertion of a spec.)
/// </summary>
internal sealed class PublishedEvents : IPublishObserver
{
    private readonly ConcurrentQueue<object> _messages = new();

    public IReadOnlyList<T> OfType<T>() where T : class => _messages.OfType<T>().ToList();

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        _messages.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
