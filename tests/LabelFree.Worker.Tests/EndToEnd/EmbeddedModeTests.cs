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
        var root = TestEnvironment.NewTempFolder("labelfree-embedded");
        try
        {
            var models = Path.Combine(root, "labelfree", "models", "dna", "v2");
            Directory.CreateDirectory(Path.GetDirectoryName(models)!);
            Directory.Move(TinyModels.Save(root, "dna", seed: 6, alter: network =>
            {
                using var noGrad = TorchSharp.torch.no_grad();
                network.state_dict()["conv_out.weight"][0, 0, 0, 0, 0] = float.NaN;
            }), models);
            var worker = WorkerHost.Build([], new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = "dna",
                ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v2/",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "None",
            });
            await using (worker)
            {
                var error = await Assert.ThrowsAsync<Worker.Consumers.ModelLoadException>(() => worker.StartAsync());

                Assert.Contains("Model 'dna' (BrightField) could not be loaded from labelfree/models/dna/v2/", error.Message, StringComparison.Ordinal);
                Assert.Contains("weights.pt holds NaN or infinite values: conv_out.weight has 1 of its", error.Message, StringComparison.Ordinal);
                Assert.Contains("labelfree selftest", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_that_is_not_in_the_store_stops_the_start_with_a_message_naming_it()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-embedded");
        try
        {
            var worker = WorkerHost.Build([], new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = "membrane",
                ["LabelFree:Models:0:Location:Prefix"] = "models/membrane/v7/",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "None",
            });
            await using (worker)
            {
                var error = await Assert.ThrowsAsync<Worker.Consumers.ModelLoadException>(() => worker.StartAsync());

                Assert.Contains("'membrane'", error.Message, StringComparison.Ordinal);
                Assert.Contains("labelfree/models/membrane/v7/", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
