using System.Threading.Channels;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.Deployment;
using LabelFree.Worker.Tests.EndToEnd;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>
/// A model whose weights are finite (it loads) but whose forward pass overflows to infinity and NaN, through an
/// embedded worker (in-memory bus, local folder). What used to be an ArgumentException deep in scoring, or a NaN
/// image published as a result, is a compute defect with its own reason: no result event, a Fault naming the stack
/// and the structure, labelfree_stacks_failed_total{reason="non_finite_prediction"}, an error in the log, and
/// nothing written for the stack.
/// </summary>
/// <remarks>In the workers' collection: the worker meter is process-wide, and workers compete for the cores.</remarks>
[Collection(WorkerServicesCollection.Name)]
public class NonFinitePredictionTests
{
    private const double EmPixelMicrometres = 0.05;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_prediction_that_overflows_faults_the_stack_as_a_named_compute_defect_and_writes_nothing()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-nonfinite");
        try
        {
            AddModel(root, "dna", TinyModels.Save(root, "dna", seed: 7, alter: TinyModels.Overflowing));
            await WriteInputAsync(root, "s1.ome.tiff", TestStacks.OmeTiff());
            var logs = new CapturedLogs();
            await using var worker = await StartAsync(root, "dna", "BrightField", logs);
            var outcomes = await OutcomesAsync(worker);

            // With ground truth, as in the incident: scoring is the step that used to fail on the NaN.
            await worker.Services.GetRequiredService<IBus>().Publish(new StackAcquired
            {
                StackId = "s1",
                BatchId = "b1",
                Input = new BlobLocation { Container = "inputs", Name = "s1.ome.tiff" },
                Modality = Modality.BrightField,
                TransmittedLightChannel = new ChannelSelector { Name = "bright-field" },
                GroundTruthChannels = new Dictionary<string, ChannelSelector> { ["dna"] = new() { Name = "dna" } },
            });
            using var deadline = new CancellationTokenSource(Patience);
            var fault = await outcomes.Faults.Reader.ReadAsync(deadline.Token);

            Assert.Equal("s1", fault.Message.StackId);
            var exception = Assert.Single(fault.Exceptions);
            Assert.Equal(typeof(NonFinitePredictionException).FullName, exception.ExceptionType);
            Assert.Contains("Stack b1/s1: the prediction of 'dna' (model dna/v1) holds", exception.Message, StringComparison.Ordinal);
            Assert.Contains("NaN or infinite voxels of 16384", exception.Message, StringComparison.Ordinal);
            Assert.Contains("labelfree selftest", exception.Message, StringComparison.Ordinal);
            Assert.False(outcomes.Predicted.Reader.TryRead(out _), "a StackPredicted was published for a NaN prediction");
            Assert.False(outcomes.Rejected.Reader.TryRead(out _), "a compute defect was answered as bad input");
            await AssertCountedAsNonFinitePredictionAsync(worker);
            AssertLoggedAsError(logs, "b1/s1", "dna");
            Assert.Empty(FilesOfStack(root, "b1", "s1"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_em_prediction_that_overflows_faults_the_stack_before_registration_and_writes_nothing()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-nonfinite");
        try
        {
            AddModel(root, "mbp", TinyModels.Save2D(root, "mbp", seed: 8, EmPixelMicrometres, alter: TinyModels.Overflowing));
            var pixel = new VoxelSize(EmPixelMicrometres, EmPixelMicrometres, EmPixelMicrometres);
            await WriteInputAsync(root, "em.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(RandomPlane(64, seed: 1), pixel, "em")));
            await WriteInputAsync(root, "if.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(RandomPlane(96, seed: 2), pixel, "MBP")));
            var logs = new CapturedLogs();
            await using var worker = await StartAsync(root, "mbp", "Em", logs);
            var outcomes = await OutcomesAsync(worker);

            await worker.Services.GetRequiredService<IBus>().Publish(new StackAcquired
            {
                StackId = "em1",
                BatchId = "b1",
                Input = new BlobLocation { Container = "inputs", Name = "em.ome.tiff" },
                Modality = Modality.Em,
                TransmittedLightChannel = new ChannelSelector { Index = 0 },
                ReferenceImage = new BlobLocation { Container = "inputs", Name = "if.ome.tiff" },
            });
            using var deadline = new CancellationTokenSource(Patience);
            var fault = await outcomes.Faults.Reader.ReadAsync(deadline.Token);

            Assert.Equal("em1", fault.Message.StackId);
            var exception = Assert.Single(fault.Exceptions);
            Assert.Equal(typeof(NonFinitePredictionException).FullName, exception.ExceptionType);
            Assert.Contains("Stack b1/em1: the prediction of 'mbp' (model mbp/v1) holds", exception.Message, StringComparison.Ordinal);
            Assert.False(outcomes.Registered.Reader.TryRead(out _), "an EmRegistered was published for a NaN prediction");
            await AssertCountedAsNonFinitePredictionAsync(worker);
            AssertLoggedAsError(logs, "b1/em1", "mbp");
            Assert.Empty(FilesOfStack(root, "b1", "em1"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // The bundle where the worker's model store (the "labelfree" container of the local folder) keeps it.
    private static void AddModel(string root, string structure, string bundle)
    {
        var models = Path.Combine(root, "labelfree", "models", structure, "v1");
        Directory.CreateDirectory(Path.GetDirectoryName(models)!);
        Directory.Move(bundle, models);
    }

    private static async Task WriteInputAsync(string root, string name, byte[] content)
    {
        Directory.CreateDirectory(Path.Combine(root, "inputs"));
        await File.WriteAllBytesAsync(Path.Combine(root, "inputs", name), content);
    }

    private static async Task<WebApplication> StartAsync(string root, string structure, string modality, CapturedLogs logs)
    {
        var worker = WorkerHost.Build([], new Dictionary<string, string?>
        {
            ["LabelFree:Storage:LocalRoot"] = root,
            ["LabelFree:Models:0:Structure"] = structure,
            ["LabelFree:Models:0:Modality"] = modality,
            ["LabelFree:Models:0:Location:Prefix"] = $"models/{structure}/v1/",
            ["LabelFree:Prediction:CpuThreads"] = "2",
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        worker.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await worker.StartAsync();
        return worker;
    }

    private static async Task AssertCountedAsNonFinitePredictionAsync(WebApplication worker)
    {
        using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.Single()), Timeout = TimeSpan.FromSeconds(10) };
        var scrape = await ScrapeAsync(http);

        // The exporter may answer from a scrape it cached a moment ago.
        await ChildProcesses.WaitUntilAsync(
            async () => (scrape = await ScrapeAsync(http)).Value("labelfree_stacks_failed_total", "reason=\"non_finite_prediction\"") >= 1,
            TimeSpan.FromSeconds(10), "the failure to be counted");

        Assert.Equal(1, scrape.Value("labelfree_stacks_failed_total", "reason=\"non_finite_prediction\""));
        Assert.Equal(0, scrape.Value("labelfree_stacks_failed_total", "reason=\"defect\""));
        Assert.Equal(0, scrape.Value("labelfree_stacks_predicted_total"));
    }

    private static void AssertLoggedAsError(CapturedLogs logs, string stack, string structure)
    {
        // MassTransit logs the fault too (R-FAULT); the worker's own entry is the one an operator searches for.
        var error = Assert.Single(logs.Entries, e => e.Category == typeof(StackAcquiredConsumer).FullName && e.Level >= LogLevel.Error);
        Assert.Contains(stack, error.Message, StringComparison.Ordinal);
        Assert.Contains(structure, error.Message, StringComparison.Ordinal);
        Assert.IsType<NonFinitePredictionException>(error.Exception);
    }

    private static string[] FilesOfStack(string root, string batch, string stack)
    {
        var folder = Path.Combine(root, "labelfree", "predictions", batch, stack);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    private static Volume RandomPlane(int side, int seed)
    {
        var random = new Random(seed);
        var plane = new Volume(new VolumeShape(1, side, side));
        for (var i = 0; i < plane.Voxels.Length; i++)
        {
            plane.Voxels[i] = random.NextSingle();
        }

        return plane;
    }

    private static async Task<MetricsScrape> ScrapeAsync(HttpClient http) =>
        MetricsScrape.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static async Task<StackOutcomes> OutcomesAsync(WebApplication worker)
    {
        var outcomes = new StackOutcomes();
        var subscription = worker.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("non-finite-test-events", endpoint =>
        {
            endpoint.Handler<StackPredicted>(context => outcomes.Predicted.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<EmRegistered>(context => outcomes.Registered.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<StackRejected>(context => outcomes.Rejected.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<Fault<StackAcquired>>(context => outcomes.Faults.Writer.WriteAsync(context.Message).AsTask());
        });
        await subscription.Ready;
        return outcomes;
    }

    private sealed class StackOutcomes
    {
        public Channel<StackPredicted> Predicted { get; } = Channel.CreateUnbounded<StackPredicted>();

        public Channel<EmRegistered> Registered { get; } = Channel.CreateUnbounded<EmRegistered>();

        public Channel<StackRejected> Rejected { get; } = Channel.CreateUnbounded<StackRejected>();

        public Channel<Fault<StackAcquired>> Faults { get; } = Channel.CreateUnbounded<Fault<StackAcquired>>();
    }
}
