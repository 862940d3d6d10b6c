using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// Exactly-once outputs when things break under a running worker: storage goes away mid-batch, the
/// worker process is killed mid-stack, the broker restarts mid-batch. Every stack still completes, and
/// completes once: one manifest per stack, never two computations published as new.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class FailureRecoveryTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Storage_going_away_mid_batch_delays_the_stacks_and_each_completes_exactly_once()
    {
        var amqp = broker.RequireAmqpUri();
        await using var storage = await PrivateAzurite.StartAsync();
        await using var bed = await WorkerTestBed.CreateAsync(amqp, storage.ConnectionString);
        var worker = await bed.StartWorkerAsync();
        using var retries = new WorkerCounter(worker, "labelfree.storage.retries");
        var stacks = new[] { "s0", "s1", "s2", "s3" };
        var inputs = new List<Messages.BlobLocation>();
        foreach (var stack in stacks)
        {
            inputs.Add(await bed.UploadInputAsync($"{stack}.ome.tiff", TestStacks.OmeTiff(seed: inputs.Count + 1)));
        }

        await bed.PublishAsync(bed.Stack(stacks[0], inputs[0]));
        await bed.Events.WaitForAsync(e => e.StackId == stacks[0], Patience);
        await storage.StopAsync();
        for (var i = 1; i < stacks.Length; i++)
        {
            await bed.PublishAsync(bed.Stack(stacks[i], inputs[i]));
        }

        // One delivery makes 3 attempts (2 broker retries) of 3 storage calls (2 storage retries): more than
        // 6 storage retries means a stack went back to the queue and came round again while storage was away.
        await ChildProcesses.WaitUntilAsync(() => Task.FromResult(retries.Count > 6), Patience, "the worker to retry storage and requeue");
        await storage.RestartAsync();
        await ChildProcesses.WaitUntilAsync(
            () => Task.FromResult(stacks.All(s => bed.Events.All.Any(e => e.StackId == s && e.Predicted is not null))),
            Patience, "every stack to be predicted");

        var names = await bed.OutputNamesAsync();
        foreach (var stack in stacks)
        {
            Assert.Single(names, n => n == $"predictions/batch-1/{stack}/manifest.json");
            var predicted = Assert.Single(bed.Events.All, e => e.StackId == stack && e.Predicted is { Reused: false }).Predicted!;
            Assert.Contains(predicted.Output.Name, names);
        }

        Assert.DoesNotContain(names, n => n.EndsWith("rejection.json", StringComparison.Ordinal));
        Assert.DoesNotContain(bed.Events.All, e => e.Rejected is not null);

        // The stacks went back to the queue and completed: nothing faulted, so no Fault<StackAcquired> was published.
        Assert.DoesNotContain(bed.Events.All, e => e.IsFault);
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_worker_killed_mid_stack_leaves_no_result_and_the_redelivered_stack_completes_once()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString(), multChan: 16);
        bed.Settings["LabelFree:Prediction:MaxInputVoxels"] = "20000000";
        var folder = TestEnvironment.NewTempFolder("labelfree-worker");
        var input = await bed.UploadInputAsync("slow.ome.tiff", TestStacks.OmeTiff(frames: 3, depth: 32, height: 96, width: 96));
        var port = ChildProcesses.FreePort();
        try
        {
            await using (var first = WorkerProcess.Start(bed.Settings, port, folder))
            {
                await first.WaitUntilReadyAsync(Patience);
                await bed.PublishAsync(bed.Stack("slow", input));
                await ChildProcesses.WaitUntilAsync(async () => await first.MetricAsync("labelfree_stacks_in_flight") >= 1, Patience, "the stack to be in flight");
                await first.KillAsync();
            }

            // No result: at most the dead attempt's lease, which goes stale and is taken over by the redelivery.
            Assert.DoesNotContain(await bed.OutputNamesAsync(), n => !n.EndsWith("/lease.json", StringComparison.Ordinal));
            Assert.Empty(bed.Events.All);

            await using var second = WorkerProcess.Start(bed.Settings, port, folder);
            var done = await bed.Events.WaitForAsync(e => e.StackId == "slow", Patience);
            Assert.Equal(0, await second.StopAsync(Patience));

            Assert.NotNull(done.Predicted);
            Assert.False(done.Predicted.Reused);
            Assert.Single(bed.Events.All);
            Assert.Single(await bed.OutputNamesAsync(), n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Sigterm_mid_stack_returns_the_stack_to_the_queue_after_the_grace_period_and_the_next_worker_completes_it()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString(), multChan: 16);
        bed.Settings["LabelFree:Prediction:MaxInputVoxels"] = "20000000";
        bed.Settings["LabelFree:ShutdownGracePeriod"] = "00:00:01";
        var folder = TestEnvironment.NewTempFolder("labelfree-worker");
        var input = await bed.UploadInputAsync("slow.ome.tiff", TestStacks.OmeTiff(frames: 3, depth: 32, height: 96, width: 96));
        var port = ChildProcesses.FreePort();
        try
        {
            await using (var first = WorkerProcess.Start(bed.Settings, port, folder))
            {
                await first.WaitUntilReadyAsync(Patience);
                await bed.PublishAsync(bed.Stack("slow", input));
                await ChildProcesses.WaitUntilAsync(async () => await first.MetricAsync("labelfree_stacks_in_flight") >= 1, Patience, "the stack to be in flight");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                Assert.Equal(0, await first.StopAsync(Patience));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
                Assert.True(first.Output.Contains("abandoned at shutdown", StringComparison.Ordinal), first.Output);
            }

            // No result: at most the dead attempt's lease, which goes stale and is taken over by the redelivery.
            Assert.DoesNotContain(await bed.OutputNamesAsync(), n => !n.EndsWith("/lease.json", StringComparison.Ordinal));
            Assert.Empty(bed.Events.All);
            Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));

            await using var second = WorkerProcess.Start(bed.Settings, port, folder);
            var done = await bed.Events.WaitForAsync(e => e.StackId == "slow", Patience);
            Assert.Equal(0, await second.StopAsync(Patience));

            Assert.False(done.Predicted!.Reused);
            Assert.Single(bed.Events.All);
            Assert.Single(await bed.OutputNamesAsync(), n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_broker_restart_mid_batch_loses_no_stack()
    {
        var connectionString = azurite.RequireConnectionString();
        await using var node = await PrivateRabbitMqNode.StartAsync();
        await using var bed = await WorkerTestBed.CreateAsync(node.AmqpUri, connectionString, multChan: 16, managementUrl: node.ManagementUrl);
        bed.Settings["LabelFree:Prediction:MaxInputVoxels"] = "20000000";
        await bed.StartWorkerAsync();
        var stacks = new[] { "b0", "b1", "b2", "b3", "b4" };
        foreach (var stack in stacks)
        {
            var input = await bed.UploadInputAsync($"{stack}.ome.tiff", TestStacks.OmeTiff(depth: 32, height: 64, width: 64));
            await bed.PublishAsync(bed.Stack(stack, input));
        }

        await bed.Events.WaitForAsync(e => e.Predicted is not null, Patience);
        await node.StopAppAsync();
        await node.StartAppAsync();
        await ChildProcesses.WaitUntilAsync(
            () => Task.FromResult(stacks.All(s => bed.Events.All.Any(e => e.StackId == s && e.Predicted is not null))),
            Patience, "every stack to be predicted after the restart");

        var names = await bed.OutputNamesAsync();
        foreach (var stack in stacks)
        {
            Assert.Single(names, n => n == $"predictions/batch-1/{stack}/manifest.json");
            Assert.True(bed.Events.All.Count(e => e.StackId == stack && e.Predicted is { Reused: false }) <= 1, $"{stack} was published as new twice");
        }

        Assert.DoesNotContain(bed.Events.All, e => e.Rejected is not null);

        // The stacks went back to the queue and completed: nothing faulted, so no Fault<StackAcquired> was published.
        Assert.DoesNotContain(bed.Events.All, e => e.IsFault);
    }

    /// <summary>Counts labelfree.storage.retries of one worker (its own meter factory, not other tests').</summary>
}
