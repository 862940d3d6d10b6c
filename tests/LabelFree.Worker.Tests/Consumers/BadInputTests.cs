using System.Text;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Worker.Tests.EndToEnd;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>
/// Bad input is answered, not retried: each case gets StackRejected with its reason code and a rejection
/// record, the message is acknowledged, and the worker goes on with the next stack.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class BadInputTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Each_bad_input_is_rejected_with_its_reason_and_the_next_stack_still_completes()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var good = await bed.UploadInputAsync("good.ome.tiff", TestStacks.OmeTiff());
        var valid = TestStacks.OmeTiff();
        var nan = TestStacks.Image();
        Array.Fill(nan[0, 0].Voxels, float.NaN);
        var cases = new (string Stack, Func<Task<StackAcquired>> Message, RejectionReason Reason)[]
        {
            ("not-a-tiff", async () => bed.Stack("not-a-tiff", await bed.UploadInputAsync("notes.tif", Encoding.UTF8.GetBytes("plate 3, well B4: focus drifted"))), RejectionReason.NotATiff),
            ("truncated", async () => bed.Stack("truncated", await bed.UploadInputAsync("cut.ome.tiff", valid[..(valid.Length / 2)])), RejectionReason.Truncated),
            ("missing", () => Task.FromResult(bed.Stack("missing", new BlobLocation { Container = bed.InputContainer, Name = "never-uploaded.tif" })), RejectionReason.MissingInput),
            ("unknown-structure", () => Task.FromResult(bed.Stack("unknown-structure", good) with { Structures = ["mitochondria"] }), RejectionReason.UnknownStructure),
            ("channel-out-of-range", () => Task.FromResult(bed.Stack("channel-out-of-range", good) with { TransmittedLightChannel = new ChannelSelector { Index = 5 } }), RejectionReason.ChannelOutOfRange),
            ("too-large", async () => bed.Stack("too-large", await bed.UploadInputAsync("big.ome.tiff", TestStacks.OmeTiff(depth: 32, height: 64, width: 64))), RejectionReason.TooLarge),
            ("nan", async () => bed.Stack("nan", await bed.UploadInputAsync("nan.ome.tiff", TestStacks.Encode(nan))), RejectionReason.NonFiniteValues),
            ("elsewhere", () => Task.FromResult(bed.Stack("elsewhere", new BlobLocation { Container = "secrets", Name = "good.ome.tiff" })), RejectionReason.LocationNotAllowed),
            ("escape", () => Task.FromResult(bed.Stack("escape", new BlobLocation { Container = bed.InputContainer, Name = "../out/good.ome.tiff" })), RejectionReason.LocationNotAllowed),
        };

        foreach (var (stack, message, reason) in cases)
        {
            await bed.PublishAsync(await message());
            await bed.PublishAsync(bed.Stack($"after-{stack}", good));

            var rejected = (await bed.Events.WaitForAsync(e => e.StackId == stack, Patience)).Rejected;
            var next = (await bed.Events.WaitForAsync(e => e.StackId == $"after-{stack}", Patience)).Predicted;
            Assert.True(rejected is not null, $"{stack}: expected StackRejected");
            Assert.True(reason == rejected.Reason, $"{stack}: expected {reason}, got {rejected.Reason} ({rejected.Message})");
            Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
            Assert.True(next is not null, $"the stack after {stack} was not predicted");
            var record = (await bed.OutputBlob($"predictions/batch-1/{stack}/rejection.json").DownloadContentAsync()).Value.Content.ToArray();
            Assert.Equal(reason, JsonSerializer.Deserialize<StackRejected>(record, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Reason);
        }

        Assert.DoesNotContain(await bed.OutputNamesAsync(), name => name.EndsWith("manifest.json", StringComparison.Ordinal) && !name.Contains("/after-", StringComparison.Ordinal));
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_message_with_an_invalid_stack_id_is_rejected_as_invalid_without_writing_anything()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var good = await bed.UploadInputAsync("good.ome.tiff", TestStacks.OmeTiff());

        await bed.PublishAsync(bed.Stack("../../etc", good));
        var rejected = (await bed.Events.WaitForAsync(e => e.StackId == "../../etc", Patience)).Rejected!;

        Assert.Equal(RejectionReason.InvalidMessage, rejected.Reason);
        Assert.Contains("stack id", rejected.Message, StringComparison.Ordinal);
        Assert.Empty(await bed.OutputNamesAsync());
    }

    [SkippableFact]
    public async Task A_body_that_is_not_json_lands_in_the_error_queue_and_the_worker_goes_on()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var good = await bed.UploadInputAsync("good.ome.tiff", TestStacks.OmeTiff());
        var body = Encoding.UTF8.GetBytes("stack well-B4 acquired at 12:30");

        await bed.PublishRawAsync(body, "application/json");
        await bed.PublishAsync(bed.Stack("after-garbage", good));
        await bed.Events.WaitForAsync(e => e.StackId == "after-garbage", Patience);
        var deadline = DateTime.UtcNow + Patience;
        RabbitMQ.Client.BasicGetResult? faulted = null;
        while (faulted is null && DateTime.UtcNow < deadline)
        {
            faulted = await bed.GetFromQueueAsync("stack-acquired_error");
            if (faulted is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(faulted);
        Assert.Equal(body, faulted.Body.ToArray());
        Assert.Equal("application/json", faulted.BasicProperties.ContentType);
        Assert.DoesNotContain(bed.Events.All, e => e.Rejected is not null);
    }
}
