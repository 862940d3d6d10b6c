using System.Threading.Channels;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// With no broker and local storage configured the worker runs in one process: MassTransit's in-memory
/// transport and a folder on disk. Needs no service at all (in the shared collection only so that its worker
/// does not run beside other tests' workers and metrics).
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public class EmbeddedModeTests
{
    [Fact]
    public async Task Without_a_broker_a_stack_published_in_process_is_predicted_into_the_local_folder()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-embedded");
        try
        {
            var models = Path.Combine(root, "labelfree", "models", "dna", "v1");
            Directory.CreateDirectory(Path.GetDirectoryName(models)!);
            Directory.Move(TinyModels.Save(root, "dna", seed: 5), models);
            Directory.CreateDirectory(Path.Combine(root, "inputs"));
            await File.WriteAllBytesAsync(Path.Combine(root, "inputs", "s1.ome.tiff"), TestStacks.OmeTiff());
            var worker = WorkerHost.Build([], new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = "dna",
                ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
                ["LabelFree:Prediction:CpuThreads"] = "2",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await using (worker)
            {
                await worker.StartAsync();
                var bus = worker.Services.GetRequiredService<IBus>();
                var events = Channel.CreateUnbounded<StackPredicted>();
                var subscription = bus.ConnectReceiveEndpoint("embedded-test-events", endpoint =>
                    endpoint.Handler<StackPredicted>(context => events.Writer.WriteAsync(context.Message).AsTask()));
                await subscription.Ready;

                await bus.Publish(new StackAcquired
                {
                    StackId = "s1",
                    BatchId = "b1",
                    Input = new BlobLocation { Container = "inputs", Name = "s1.ome.tiff" },
                    Modality = Modality.BrightField,
                    TransmittedLightChannel = new ChannelSelector { Name = "bright-field" },
                });
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var predicted = await events.Reader.ReadAsync(timeout.Token);
                await worker.StopAsync();

                Assert.Equal("labelfree", predicted.Output.Container);
                var output = HyperstackFile.Read(Path.Combine(root, "labelfree", predicted.Output.Name));
                Assert.Equal(["dna"], output.ChannelNames);
                Assert.Equal(new HyperstackShape(1, 1, 16, 32, 32), output.Shape);
                Assert.True(File.Exists(Path.Combine(root, "labelfree", "predictions", "b1", "s1", "manifest.json")));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_whose_weights_hold_nan_stops_the_start_naming_the_model_and_the_tensor()
    {
        var error = await StartFailureAsync("dna", "v2", saveModel: true, network =>
        {
            using var noGrad = TorchSharp.torch.no_grad();
            network.state_dict()["conv_out.weight"][0, 0, 0, 0, 0] = float.NaN;
        });

        Assert.Contains("Model 'dna' (BrightField) could not be loaded from labelfree/models/dna/v2/", error.Message, StringComparison.Ordinal);
        Assert.Contains("weights.pt holds NaN or infinite values: conv_out.weight has 1 of its", error.Message, StringComparison.Ordinal);
        Assert.Contains("labelfree selftest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_whose_prediction_overflows_is_refused_at_its_warm_up_naming_it()
    {
        // Finite weights (the bundle loads), each 1e30 times too large: what used to publish a NaN image, or fail
        // deep in scoring, now stops the start before any stack is computed with the model.
        var error = await StartFailureAsync("dna", "v3", saveModel: true, TinyModels.Overflowing);

        Assert.Contains("Model 'dna' (BrightField) from labelfree/models/dna/v3/ failed its warm-up", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN or infinite voxels", error.Message, StringComparison.Ordinal);
        Assert.IsType<Pipeline.Prediction.NonFinitePredictionException>(error.InnerException);
    }

    [Fact]
    public async Task A_model_that_is_not_in_the_store_stops_the_start_with_a_message_naming_it()
    {
        var error = await StartFailureAsync("membrane", "v7", saveModel: false, alter: null);

        Assert.Contains("'membrane'", error.Message, StringComparison.Ordinal);
        Assert.Contains("labelfree/models/membrane/v7/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_whose_weights_differ_from_the_configured_pin_stops_the_start()
    {
        var pinned = new string('a', 64);
        var error = await StartFailureAsync("dna", "v4", saveModel: true, alter: null, ("LabelFree:Models:0:WeightsSha256", pinned));

        Assert.Contains("labelfree/models/dna/v4/ has weights with SHA-256 ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"LabelFree:Models pins 'dna' to {pinned}", error.Message, StringComparison.Ordinal);
    }

    // Starts an embedded worker configured for models/{structure}/{version}/ (a tiny model, altered, saved there when
    // saveModel) and returns the error its start fails with.
    private static async Task<Worker.Consumers.ModelLoadException> StartFailureAsync(string structure, string version, bool saveModel,
        Action<Pipeline.Models.Fnet>? alter, params (string Key, string Value)[] settings)
    {
        var root = TestEnvironment.NewTempFolder("labelfree-embedded");
        try
        {
            if (saveModel)
            {
                var models = Path.Combine(root, "labelfree", "models", structure, version);
                Directory.CreateDirectory(Path.GetDirectoryName(models)!);
                Directory.Move(TinyModels.Save(root, structure, seed: 6, alter: alter), models);
            }

            var configuration = new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = structure,
                ["LabelFree:Models:0:Location:Prefix"] = $"models/{structure}/{version}/",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "None",
            };
            foreach (var (key, value) in settings)
            {
                configuration[key] = value;
            }

            await using var worker = WorkerHost.Build([], configuration);
            return await Assert.ThrowsAsync<Worker.Consumers.ModelLoadException>(() => worker.StartAsync());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
