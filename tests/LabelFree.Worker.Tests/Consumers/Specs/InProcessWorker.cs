using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.EndToEnd;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;

namespace LabelFree.Worker.Tests.Consumers.Specs;

/// <summary>
/// The worker exactly as it runs (its consumer, definition, protocol and models) on MassTransit's test harness and a
/// local folder store: no broker, no Azurite, a spec in about a second. The harness replaces the bus registration
/// with its in-memory transport and records what was consumed and published. The RabbitMQ and Azurite suites
/// (EndToEnd) stay the integration layer.
/// </summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    public const string InputContainer = "inputs";
    public const string OutputContainer = "labelfree";

    private readonly WebApplication _host;
    private readonly PublishedEvents _published = new();

    private InProcessWorker(string root, WebApplication host)
    {
        Root = root;
        _host = host;
        Harness = host.Services.GetTestHarness();
        Harness.Bus.ConnectPublishObserver(_published);
    }

    /// <summary>The folder holding one sub-folder per container.</summary>
    public string Root { get; }

    public ITestHarness Harness { get; }

    public static async Task<InProcessWorker> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = TestEnvironment.NewTempFolder("labelfree-spec");
        var models = Path.Combine(root, OutputContainer, "models", "dna", "v1");
        Directory.CreateDirectory(Path.GetDirectoryName(models)!);
        Directory.Move(TinyModels.Save(root, "dna", seed: 5), models);
        Directory.CreateDirectory(Path.Combine(root, InputContainer));
        var configuration = new Dictionary<string, string?>
        {
            ["LabelFree:Storage:LocalRoot"] = root,
            ["LabelFree:Models:0:Structure"] = "dna",
            ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
            ["LabelFree:Prediction:CpuThreads"] = "2",
            ["LabelFree:Broker:RetryIntervals:0"] = "00:00:00.1000000",
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var host = WorkerHost.Build([], configuration, services => services.AddMassTransitTestHarness(bus =>

            // A stack computes for seconds: wait on it, not on the harness's default second of quiet.
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromSeconds(60))));
        var worker = new InProcessWorker(root, host);
        await host.StartAsync();
        return worker;
    }

    public async Task<BlobLocation> UploadInputAsync(string name, byte[] content)
    {
        await File.WriteAllBytesAsync(Path.Combine(Root, InputContainer, name), content);
        return new BlobLocation { Container = InputContainer, Name = name };
    }

    public static StackAcquired Stack(string stackId, BlobLocation input) => new()
    {
        BatchId = "batch-1",
        StackId = stackId,
        Input = input,
        Modality = Modality.BrightField,
        TransmittedLightChannel = new ChannelSelector { Name = "bright-field" },
    };

    /// <summary>Publishes the message and waits until the consumer has finished with it (consumed or faulted).</summary>
    public async Task<IReceivedMessage<StackAcquired>> ConsumeAsync(StackAcquired message)
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = id);
        Assert.True(await Harness.Consumed.Any<StackAcquired>(m => m.Context.MessageId == id), $"{message.StackId} was not consumed");
        return Harness.Consumed.Select<StackAcquired>(m => m.Context.MessageId == id).First();
    }

    /// <summary>The events published for one stack, in order.</summary>
    public IReadOnlyList<T> Published<T>(string stackId) where T : class =>
        _published.OfType<T>().Where(m => StackIdOf(m) == stackId).ToList();

    /// <summary>A file of the output container, e.g. "predictions/batch-1/s1/manifest.json".</summary>
    public string OutputPath(string name) => Path.Combine(Root, OutputContainer, name);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private static string? StackIdOf(object message) => message switch
    {
        StackPredicted predicted => predicted.StackId,
        StackRejected rejected => rejected.StackId,
        Fault<StackAcquired> fault => fault.Message.StackId,
        _ => null,
    };
}
