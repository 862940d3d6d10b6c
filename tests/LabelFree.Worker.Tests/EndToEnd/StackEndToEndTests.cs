using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// The path of one stack through a real worker: StackAcquired published as plain JSON with RabbitMQ.Client,
/// outputs in Azurite, StackPredicted read from a plain AMQP queue.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class StackEndToEndTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_plain_json_stack_becomes_one_ome_tiff_whose_channels_equal_a_direct_prediction()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var image = TestStacks.Image(frames: 2);
        var inputBytes = TestStacks.Encode(image);
        var input = await bed.UploadInputAsync("plate-1/well-A1.ome.tiff", inputBytes);

        await bed.PublishAsync(bed.Stack("well-A1", input) with
        {
            GroundTruthChannels = new Dictionary<string, ChannelSelector> { ["dna"] = new() { Name = "dna" } },
            Metadata = new Dictionary<string, string> { ["well"] = "A1" },
        });
        var predicted = (await bed.Events.WaitForAsync(e => e.StackId == "well-A1", Patience)).Predicted;

        Assert.NotNull(predicted);
        Assert.False(predicted.Reused);
        Assert.Matches("^predictions/batch-1/well-A1/attempt-[0-9T]+-[0-9a-f]{8}/prediction.ome.tiff$", predicted.Output.Name);
        Assert.Equal(OutputFormat.OmeTiff, predicted.OutputFormat);
        Assert.Equal(["dna", "membrane"], predicted.Channels.Select(c => c.Structure));
        Assert.Equal(new ImageShape { T = 2, C = 2, Z = 16, Y = 32, X = 32 }, predicted.OutputShape);
        Assert.Equal(new ImageShape { T = 2, C = 2, Z = 16, Y = 32, X = 32 }, predicted.InputShape);

        var output = HyperstackFile.Read(new MemoryStream((await bed.OutputBlob(predicted.Output.Name).DownloadContentAsync()).Value.Content.ToArray()), "output");
        Assert.Equal(["dna", "membrane"], output.ChannelNames);
        Assert.Equal(VoxelSize.PaperIsotropic, output.VoxelSize);
        var options = PredictionSettings.ToPipeline(new LabelFree.Worker.Hosting.PredictionOptions { CpuThreads = 2 });
        for (var c = 0; c < WorkerTestBed.Structures.Length; c++)
        {
            var folder = Path.Combine(bed.ModelFolder, WorkerTestBed.Structures[c]);
            using var direct = new StructurePredictor(ModelBundle.Load(folder), options);
            Assert.Equal($"{WorkerTestBed.Structures[c]}/v1", predicted.Channels[c].ModelId);
            Assert.Equal(direct.Manifest.Weights!.Sha256, predicted.Channels[c].WeightsSha256);
            var truthR = new List<double>();
            for (var t = 0; t < 2; t++)
            {
                var expected = direct.Predict(image[t, 0], image.VoxelSize).Volume;
                var actual = output[t, c];
                var worst = expected.Voxels.Zip(actual.Voxels, (e, a) => Math.Abs(e - a)).Max();
                Assert.True(worst < 1e-4, $"{WorkerTestBed.Structures[c]} t={t}: largest difference {worst}");
                truthR.Add(PearsonCorrelation.Between(expected, image[t, 1]).R!.Value);
            }

            if (WorkerTestBed.Structures[c] == "dna")
            {
                Assert.Equal(truthR.Average(), predicted.Channels[c].PearsonR!.Value, 1e-4);
            }
            else
            {
                Assert.Null(predicted.Channels[c].PearsonR);
            }
        }

        var manifestJson = (await bed.OutputBlob(predicted.Manifest.Name).DownloadContentAsync()).Value.Content.ToArray();
        var manifest = StackManifest.Parse(manifestJson, "manifest");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(inputBytes)), manifest.Input.Sha256);
        Assert.Equal(input, manifest.Input.Location);
        Assert.Equal(["dna/v1", "membrane/v1"], manifest.Models.Select(m => m.ModelId));
        Assert.Equal("A1", manifest.Metadata!["well"]);
        var outputBytes = (await bed.OutputBlob(predicted.Output.Name).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(outputBytes)), manifest.Output.Sha256);
        Assert.True(predicted.Timings.InferenceSeconds["dna"] > 0);
        Assert.True(predicted.Timings.TotalSeconds >= predicted.Timings.InferenceSeconds.Values.Sum());
    }

    [SkippableFact]
    public async Task A_duplicate_message_republishes_the_same_result_without_computing_again()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var input = await bed.UploadInputAsync("dup.ome.tiff", TestStacks.OmeTiff());
        var message = bed.Stack("dup", input);

        await bed.PublishAsync(message);
        var first = (await bed.Events.WaitForAsync(e => e.StackId == "dup", Patience)).Predicted!;
        var manifestBefore = (await bed.OutputBlob(first.Manifest.Name).DownloadContentAsync()).Value;
        var predictionBefore = (await bed.OutputBlob(first.Output.Name).GetPropertiesAsync()).Value;
        await bed.PublishAsync(message);
        var events = await bed.Events.WaitForAsync(e => e.StackId == "dup", 2, Patience);
        var second = events[1].Predicted!;

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(JsonSerializer.Serialize(first.Channels), JsonSerializer.Serialize(second.Channels));
        Assert.Equal(first.CompletedAt, second.CompletedAt);

        // Nothing was written again: the manifest and the prediction are the very blobs of the first run.
        var manifestAfter = (await bed.OutputBlob(first.Manifest.Name).DownloadContentAsync()).Value;
        var predictionAfter = (await bed.OutputBlob(first.Output.Name).GetPropertiesAsync()).Value;
        Assert.Equal(manifestBefore.Details.ETag, manifestAfter.Details.ETag);
        Assert.Equal(predictionBefore.ETag, predictionAfter.ETag);
        Assert.Equal(
            new[] { first.Manifest.Name, first.Output.Name, "predictions/batch-1/dup/announced.json" }.Order(StringComparer.Ordinal),
            (await bed.OutputNamesAsync()).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_second_request_with_other_input_under_the_same_stack_id_is_refused_and_the_first_result_kept()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var first = await bed.UploadInputAsync("first.ome.tiff", TestStacks.OmeTiff(seed: 1));
        var other = await bed.UploadInputAsync("other.ome.tiff", TestStacks.OmeTiff(seed: 2));

        await bed.PublishAsync(bed.Stack("s1", first));
        var done = (await bed.Events.WaitForAsync(e => e.StackId == "s1", Patience)).Predicted!;
        var manifestBefore = (await bed.OutputBlob(done.Manifest.Name).GetPropertiesAsync()).Value.ETag;
        await bed.PublishAsync(bed.Stack("s1", other));
        var refused = (await bed.Events.WaitForAsync(e => e.Rejected is not null, Patience)).Rejected!;

        Assert.Equal(RejectionReason.InvalidMessage, refused.Reason);
        Assert.Contains("already has a result", refused.Message, StringComparison.Ordinal);
        Assert.Equal(manifestBefore, (await bed.OutputBlob(done.Manifest.Name).GetPropertiesAsync()).Value.ETag);
        Assert.DoesNotContain("predictions/batch-1/s1/rejection.json", await bed.OutputNamesAsync());
    }
}
