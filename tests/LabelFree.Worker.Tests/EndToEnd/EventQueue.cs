using RabbitMQ.Client;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// A test subscriber that uses RabbitMQ.Client directly, as a non-.NET consumer would: a durable queue of
/// its own bound to the StackPredicted, StackRejected and EmRegistered fanout exchanges. It polls with basic.get and
/// reconnects after a broker restart, collecting every event.
/// </summary>
internal sealed class EventQueue : IAsyncDisposable
{
    public const string PredictedExchange = "LabelFree.Messages:StackPredicted";
    public const string RejectedExchange = "LabelFree.Messages:StackRejected";
    public const string RegisteredExchange = "LabelFree.Messages:EmRegistered";
    public const string FaultExchange = "MassTransit:Fault--LabelFree.Messages:StackAcquired--";

    private readonly ConnectionFactory _factory;
    private readonly string _queue;
    private readonly List<ReceivedEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private EventQueue(Uri broker, string queue)
    {
        _factory = new ConnectionFactory { Uri = broker };
        _queue = queue;
    }

    public static async Task<EventQueue> StartAsync(Uri broker, string queue = "test.stack-events")
    {
        var events = new EventQueue(broker, queue);

        // Declared before the worker publishes anything: events published to an unbound exchange are dropped.
        await using (var connection = await events._factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await Declare(channel, queue);
        }

        events._loop = Task.Run(events.PollAsync);
        return events;
    }

    public IReadOnlyList<ReceivedEvent> All
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> events match, or fails after <paramref name="timeout"/> listing what arrived.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(Func<ReceivedEvent, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = All.Where(match).ToArray();
            if (found.Length >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {count} matching events, {found.Length} arrived; all events: [{string.Join(", ", All)}]");
            }

            await Task.Delay(20);
        }
    }

    public async Task<ReceivedEvent> WaitForAsync(Func<ReceivedEvent, bool> match, TimeSpan timeout) =>
        (await WaitForAsync(match, 1, timeout))[0];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task Declare(IChannel channel, string queue)
    {
        foreach (var exchange in new[] { PredictedExchange, RejectedExchange, RegisteredExchange, FaultExchange })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, PredictedExchange, "");
        await channel.QueueBindAsync(queue, RejectedExchange, "");
        await channel.QueueBindAsync(queue, RegisteredExchange, "");
        await channel.QueueBindAsync(queue, FaultExchange, "");
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _factory.CreateConnectionAsync(_stop.Token);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: _stop.Token);
                while (!_stop.IsCancellationRequested)
                {
                    var result = await channel.BasicGetAsync(_queue, autoAck: true, _stop.Token);
                    if (result is null)
                    {
                        await Task.Delay(20, _stop.Token);
                        continue;
                    }

                    var received = ReceivedEvent.Parse(result.Body);
                    lock (_gate)
                    {
                        _events.Add(received);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The broker is restarting: connect again shortly.
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
