using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LabelFree.Messages;
using LabelFree.Worker.Cli;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LabelFree.Worker.Demo;

/// <summary>
/// Runs the demo batch through the real worker in this process (embedded mode: MassTransit's in-memory transport
/// and a local folder as blob storage): copies the model bundles into the store's model container, starts the
/// worker, waits until /readyz's checks pass, submits every stack as a StackAcquired on the in-process bus and
/// collects the StackPredicted / StackRejected events. A stack that faults in the worker (a defect: neither bad
/// input nor transient) never gets either; its Fault&lt;StackAcquired&gt; is collected instead, and the demo stops
/// waiting at the first one, so it never waits out its timeout for a result that cannot come. Every event is also
/// appended to <c>events.jsonl</c> (a fault as a <see cref="DemoFault"/>).
/// </summary>
public sealed class EmbeddedDemoWorker(string storeRoot, string eventsFile)
{
    /// <summary>The model version folder the demo's bundles are stored under: models/{structure}/1/.</summary>
    public const string ModelVersion = "1";

    /// <summary>The folder holding one sub-folder per container.</summary>
    public string StoreRoot { get; } = Path.GetFullPath(storeRoot);

    /// <summary>Where a blob of the local store lies on disk.</summary>
    public string PathOf(BlobLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Path.Combine(StoreRoot, location.Container, location.Name);
    }

    public async Task<IReadOnlyList<DemoOutcome>> RunAsync(
        IReadOnlyDictionary<string, string> bundles, IReadOnlyList<DemoStack> stacks, string batchId, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(stacks);
        var settings = Settings(bundles.Keys);
        var layout = new PredictionLayout(settings["LabelFree:Storage:OutputContainer"]!, settings["LabelFree:Storage:ModelContainer"]!);
        foreach (var (structure, bundle) in bundles)
        {
            CopyBundle(bundle, Path.Combine(StoreRoot, layout.ModelContainer, "models", structure, ModelVersion));
        }

        Console.WriteLine($"starting the worker in this process (embedded: in-memory bus, local store {StoreRoot})");
        var worker = WorkerHost.Build([], settings);
        await using (worker)
        {
            await worker.StartAsync(cancellationToken);
            try
            {
                await WaitUntilReadyAsync(worker, cancellationToken);
                return await SubmitAndCollectAsync(worker, stacks, batchId, timeout, cancellationToken);
            }
            finally
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }

    private Dictionary<string, string?> Settings(IEnumerable<string> structures)
    {
        // The demo always runs embedded, whatever appsettings.json or LABELFREE__ variables say about a broker or Azure.
        var settings = new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Url"] = "",
            ["LabelFree:Storage:Kind"] = nameof(StorageKind.Local),
            ["LabelFree:Storage:LocalRoot"] = StoreRoot,
            ["LabelFree:Storage:InputContainer"] = "inputs",
            ["LabelFree:Storage:InputPrefix"] = "",
            ["LabelFree:Storage:OutputContainer"] = "labelfree",
            ["LabelFree:Storage:ModelContainer"] = "labelfree",

            // Port 0: the OS picks a free loopback port, so the demo never collides with a running worker.
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",

            // Once the demo stops waiting (every result in, a fault, the timeout, Ctrl+C) nothing in flight matters:
            // the worker's usual two minutes for the current stack to finish would only hold up the demo's exit.
            ["LabelFree:ShutdownGracePeriod"] = "00:00:05",

            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",

            // MassTransit's R-FAULT line repeats what the demo prints for a faulted stack and the consumer's own warning
            // with the exception; for a stack abandoned at shutdown it is only a cancellation's stack trace.
            ["Logging:LogLevel:MassTransit.ReceiveTransport"] = "Critical",
        };
        var index = 0;
        foreach (var structure in structures)
        {
            settings[Invariant($"LabelFree:Models:{index}:Structure")] = structure;
            settings[Invariant($"LabelFree:Models:{index}:Modality")] = nameof(Modality.BrightField);
            settings[Invariant($"LabelFree:Models:{index}:Location:Prefix")] = $"models/{structure}/{ModelVersion}/";
            index++;
        }

        return settings;
    }

    private static void CopyBundle(string bundle, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(bundle))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static async Task WaitUntilReadyAsync(WebApplication worker, CancellationToken cancellationToken)
    {
        // The same checks /readyz runs: models loaded and warm, bus started.
        var health = worker.Services.GetRequiredService<HealthCheckService>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains(WorkerHostExtensions.ReadyTag), deadline.Token);
            if (report.Status == HealthStatus.Healthy)
            {
                Console.WriteLine($"worker ready: {string.Join(", ", report.Entries.Select(e => $"{e.Key} {e.Value.Status}"))}");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }

    private async Task<IReadOnlyList<DemoOutcome>> SubmitAndCollectAsync(
        WebApplication worker, IReadOnlyList<DemoStack> stacks, string batchId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var bus = worker.Services.GetRequiredService<IBus>();
        var events = Channel.CreateUnbounded<WorkerEvent>();
        var subscription = bus.ConnectReceiveEndpoint($"labelfree-demo-{batchId}", endpoint =>
        {
            endpoint.Handler<StackPredicted>(context => Offer(context.Message.BatchId, new WorkerEvent(context.Message.StackId, context.Message, null, null)));
            endpoint.Handler<StackRejected>(context => Offer(context.Message.BatchId, new WorkerEvent(context.Message.StackId, null, context.Message, null)));

            // A defect in the worker publishes no outcome of its own: MassTransit publishes this and moves the
            // StackAcquired to the stack-acquired_error queue, so it is the only word the demo gets about the stack.
            endpoint.Handler<Fault<StackAcquired>>(context => Offer(context.Message.Message.BatchId,
                new WorkerEvent(context.Message.Message.StackId, null, null, DemoFault.From(context.Message))));
        });
        await subscription.Ready.WaitAsync(cancellationToken);

        Task Offer(string batch, WorkerEvent received) =>
            batch == batchId ? events.Writer.WriteAsync(received, cancellationToken).AsTask() : Task.CompletedTask;

        var submission = new StackSubmission(
            worker.Services.GetRequiredService<IBlobStore>(), worker.Services.GetRequiredService<PredictionLayout>(), "inputs", "");
        var outcomes = new Dictionary<string, DemoOutcome>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        foreach (var stack in stacks)
        {
            var message = await submission.UploadAsync(stack.File, batchId, new ChannelSelector { Index = 0 }, null, Modality.BrightField, cancellationToken);
            if (stack.IsQualityControl)
            {
                // The simulated stacks name each fluorescence channel after its structure.
                message = message with
                {
                    GroundTruthChannels = DemoPlan.Structures.ToDictionary(s => s, s => new ChannelSelector { Name = s }, StringComparer.Ordinal),
                };
            }

            await bus.Publish(message, cancellationToken);
            outcomes[message.StackId] = new DemoOutcome(stack, message.StackId, null, null, null);
        }

        Console.WriteLine($"submitted {stacks.Count} stacks as batch '{batchId}'; waiting for the worker");
        await using var eventLog = new StreamWriter(eventsFile, append: true);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        DemoFault? fault = null;
        try
        {
            // Stops at the first fault: it is a defect (a broken model, a bug), not something the next stack fixes,
            // and waiting on would only delay the answer; the stacks still in the worker are reported as not waited for.
            while (fault is null && outcomes.Values.Any(o => !o.Completed))
            {
                var received = await events.Reader.ReadAsync(deadline.Token);

                // An event may repeat (a redelivered stack republishes its result): keep the first.
                if (outcomes.TryGetValue(received.StackId, out var outcome) && !outcome.Completed)
                {
                    outcomes[received.StackId] = outcome with { Predicted = received.Predicted, Rejected = received.Rejected, Fault = received.Fault };
                    await eventLog.WriteLineAsync(received.ToJson());
                    Console.WriteLine(Invariant($"  {received.StackId}: {received.Kind} after {clock.Elapsed.TotalSeconds:0.0} s"));
                    fault = received.Fault;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var missing = string.Join(", ", outcomes.Values.Where(o => !o.Completed).Select(o => o.StackId));
            await Console.Error.WriteLineAsync(Invariant($"error: no result after {timeout.TotalSeconds:0} s for {missing}"));
        }

        if (fault is not null)
        {
            await Console.Error.WriteLineAsync(
                $"error: stack {fault.StackId} faulted in the worker, so no result will come for it: {fault.Reason}");
            var unfinished = outcomes.Values.Count(o => !o.Completed);
            if (unfinished > 0)
            {
                await Console.Error.WriteLineAsync(Invariant($"stopped waiting for the {unfinished} other stack(s) still in the worker"));
            }
        }

        return [.. outcomes.Values];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One event the demo received for a stack of its batch: exactly one of the three is set.</summary>
    private sealed record WorkerEvent(string StackId, StackPredicted? Predicted, StackRejected? Rejected, DemoFault? Fault)
    {
        public string Kind => Predicted is not null ? "predicted" : Rejected is not null ? "rejected" : "faulted";

        public string ToJson() => Predicted is not null ? JsonSerializer.Serialize(Predicted, MessageJson.Options)
            : Rejected is not null ? JsonSerializer.Serialize(Rejected, MessageJson.Options)
            : JsonSerializer.Serialize(Fault, MessageJson.Options);
    }
}
