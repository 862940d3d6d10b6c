using System.Text;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Consumers.Protocol;
using LabelFree.Worker.Tests.EndToEnd;
using MassTransit;

namespace LabelFree.Worker.Tests.Consumers.Specs;

/// <summary>
/// What the stack consumer answers for bad input, duplicates, conflicts and poison, in process
/// (<see cref="InProcessWorker"/>): fast feedback for anyone changing the consumer or the protocol.
/// </summary>
public sealed class StackConsumerSpecs
{
    [Fact]
    public async Task Bad_input_is_rejected_with_its_reason_recorded_and_the_message_acknowledged()
    {
        await using var worker = await InProcessWorker.StartAsync();
        var notes = await worker.UploadInputAsync("notes.tif", Encoding.UTF8.GetBytes("plate 3, well B4: focus drifted"));

        var consumed = await worker.ConsumeAsync(InProcessWorker.Stack("s1", notes));

        Assert.Null(consumed.Exception);
        var rejected = Assert.Single(worker.Published<StackRejected>("s1"));
        Assert.Equal(RejectionReason.NotATiff, rejected.Reason);
        var record = JsonSerializer.Deserialize<StackRejected>(
            await File.ReadAllBytesAsync(worker.OutputPath("predictions/batch-1/s1/rejection.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(RejectionReason.NotATiff, record!.Reason);
        Assert.Empty(worker.Published<Fault<StackAcquired>>("s1"));
        Assert.False(File.Exists(worker.OutputPath("predictions/batch-1/s1/manifest.json")));
    }

    [Fact]
    public async Task A_duplicate_is_answered_from_the_manifest_as_reused_without_a_second_output_and_the_same_distribution_score()
    {
        await using var worker = await InProcessWorker.StartAsync();
        var input = await worker.UploadInputAsync("s1.ome.tiff", TestStacks.OmeTiff());

        await worker.ConsumeAsync(InProcessWorker.Stack("s1", input));
        var manifest = await File.ReadAllBytesAsync(worker.OutputPath("predictions/batch-1/s1/manifest.json"));
        var duplicate = await worker.ConsumeAsync(InProcessWorker.Stack("s1", input));

        Assert.Null(duplicate.Exception);
        var events = worker.Published<StackPredicted>("s1");
        Assert.Equal([false, true], events.Select(e => e.Reused));
        Assert.Equal(events[0].Output, events[1].Output);
        Assert.Equal(manifest, await File.ReadAllBytesAsync(worker.OutputPath("predictions/batch-1/s1/manifest.json")));
        Assert.Single(Directory.GetDirectories(worker.OutputPath("predictions/batch-1/s1"), "attempt-*"));

        // The model describes this very stack as its training input: scored, and in distribution, in the event and the manifest.
        var channel = Assert.Single(events[0].Channels);
        Assert.InRange(channel.DistributionScore!.Value, 0, 1);
        Assert.False(channel.OutOfDistribution);
        Assert.Equal(channel, Assert.Single(events[1].Channels));
        using var stored = JsonDocument.Parse(manifest);
        var storedChannel = stored.RootElement.GetProperty("channels")[0];
        Assert.Equal(channel.DistributionScore.Value, storedChannel.GetProperty("distributionScore").GetDouble());
        Assert.False(storedChannel.GetProperty("outOfDistribution").GetBoolean());
    }

    [Fact]
    public async Task A_different_request_under_a_finished_stack_id_is_refused_and_the_first_result_kept()
    {
        await using var worker = await InProcessWorker.StartAsync();
        var first = await worker.UploadInputAsync("first.ome.tiff", TestStacks.OmeTiff(seed: 1));
        var second = await worker.UploadInputAsync("second.ome.tiff", TestStacks.OmeTiff(seed: 2));
        await worker.ConsumeAsync(InProcessWorker.Stack("s1", first));
        var manifest = await File.ReadAllBytesAsync(worker.OutputPath("predictions/batch-1/s1/manifest.json"));

        var conflicting = await worker.ConsumeAsync(InProcessWorker.Stack("s1", second));

        Assert.Null(conflicting.Exception);
        var rejected = Assert.Single(worker.Published<StackRejected>("s1"));
        Assert.Equal(RejectionReason.InvalidMessage, rejected.Reason);
        Assert.Contains("already has a result from a different request", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(manifest, await File.ReadAllBytesAsync(worker.OutputPath("predictions/batch-1/s1/manifest.json")));
        Assert.False(File.Exists(worker.OutputPath("predictions/batch-1/s1/rejection.json")));
        Assert.Single(worker.Published<StackPredicted>("s1"));
    }

    [Fact]
    public async Task A_stack_whose_earlier_attempts_died_holding_it_is_a_poison_message_that_faults_and_starts_afresh_when_redriven()
    {
        await using var worker = await InProcessWorker.StartAsync(new Dictionary<string, string?> { ["LabelFree:Broker:MaxAbandonedAttempts"] = "3" });
        var input = await worker.UploadInputAsync("s1.ome.tiff", TestStacks.OmeTiff());

        // The lease a third dead attempt left behind: two deaths before it, not renewed for a minute.
        var lease = worker.OutputPath("predictions/batch-1/s1/lease.json");
        Directory.CreateDirectory(Path.GetDirectoryName(lease)!);
        await File.WriteAllBytesAsync(lease, new LeaseRecord("attempt-x", "node-7", DateTimeOffset.UtcNow.AddMinutes(-3), AbandonedAttempts: 2).ToJsonBytes());
        File.SetLastWriteTimeUtc(lease, DateTime.UtcNow.AddMinutes(-1));

        var poisoned = await worker.ConsumeAsync(InProcessWorker.Stack("s1", input));

        Assert.IsType<PoisonStackException>(poisoned.Exception);
        var fault = Assert.Single(worker.Published<Fault<StackAcquired>>("s1"));
        Assert.Contains("The last 3 attempts at this stack ended with their worker gone", fault.Exceptions[0].Message, StringComparison.Ordinal);
        Assert.Empty(worker.Published<StackPredicted>("s1"));
        Assert.False(File.Exists(lease));

        // Moved back from the error queue, it gets a full set of attempts: here it simply completes.
        var redriven = await worker.ConsumeAsync(InProcessWorker.Stack("s1", input));
        Assert.Null(redriven.Exception);
        Assert.False(Assert.Single(worker.Published<StackPredicted>("s1")).Reused);
    }
}
