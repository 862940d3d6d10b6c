using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Azure.Storage.Blobs;
using LabelFree.Messages;
using LabelFree.Pipeline;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree bench worker [--stacks N] [--structures N] [--shape Z,Y,X] [--voxel-size Z,Y,X] [--concurrency N] [--json]`:
/// a batch of random stacks through a real worker (in this process) over the configured RabbitMQ and Azure Blob
/// storage, with N random structure models of the paper's architecture. Reports time per stack by stage, the
/// ratio of end-to-end time to the pure model compute (resampling and prediction straight through the Pipeline)
/// for the same stacks, stacks per hour and peak memory. Paper-size stacks: --shape 65,624,924 --voxel-size
/// 0.29,0.108,0.108 (resampled to the models' 0.29 µm as in the paper). Needs a broker (LabelFree:Broker:Url or RABBITMQ_URL) and Azure storage
/// (LabelFree:Storage:ConnectionString or AZURE_BLOB_CONNECTION_STRING); run it where no other worker
/// consumes the broker's stack-acquired queue. Its containers (bench-*) are deleted afterwards.
/// </summary>
public static class BenchWorkerCommand
{
    public static Command Create()
    {
        var stacks = new Option<int>("--stacks") { Description = "Stacks in the batch.", DefaultValueFactory = _ => 6 };
        var structures = new Option<int>("--structures") { Description = "Structure models run on every stack.", DefaultValueFactory = _ => 2 };
        var shape = new Option<VolumeShape?>("--shape") { Description = "Stack size Z,Y,X, each at least 16 (default 32,128,128).", CustomParser = CliValues.Shape };
        var voxelSize = new Option<VoxelSize?>("--voxel-size")
        {
            Description = "Voxel size of the stacks Z,Y,X in µm (default the models' 0.29,0.29,0.29); the worker resamples.",
            CustomParser = CliValues.VoxelSize,
        };
        var concurrency = new Option<int?>("--concurrency") { Description = "Stacks in flight in the worker (default LabelFree:Broker:Concurrency's)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("worker",
            "Time a batch of random stacks through the worker over the real broker and blob storage: stages, end-to-end vs pure compute, stacks per hour, peak memory.")
        {
            stacks, structures, shape, voxelSize, concurrency, json,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            token => RunAsync(
                new WorkerBenchPlan(parsed.GetValue(stacks), parsed.GetValue(structures), parsed.GetValue(shape) ?? new VolumeShape(32, 128, 128),
                    parsed.GetValue(voxelSize) ?? VoxelSize.PaperIsotropic, parsed.GetValue(concurrency) ?? new BrokerOptions().Concurrency),
                parsed.GetValue(json), token),
            cancellation));
        return command;
    }

    private static async Task<int> RunAsync(WorkerBenchPlan plan, bool json, CancellationToken cancellationToken)
    {
        var shape = plan.Shape;
        if (plan.Stacks < 1 || plan.Structures < 1 || plan.Concurrency < 1)
        {
            throw new UsageException("--stacks, --structures and --concurrency must be at least 1.");
        }

        if (shape.Z < 16 || shape.Y < 16 || shape.X < 16)
        {
            throw new UsageException($"--shape must have each size at least 16, got {shape.Z},{shape.Y},{shape.X}.");
        }

        var (brokerUrl, connectionString) = Services();
        var id = Guid.NewGuid().ToString("N")[..8];
        var container = $"bench-{id}";
        var blobs = new BlobServiceClient(connectionString);
        var local = Path.Combine(Path.GetTempPath(), $"labelfree-bench-{id}");
        try
        {
            var report = await MeasureAsync(brokerUrl, connectionString, blobs, container, local, plan, cancellationToken);
            Console.WriteLine(json ? JsonSerializer.Serialize(report, CliJson.Options) : report.ToText());
            return ExitCodes.Ok;
        }
        finally
        {
            await blobs.GetBlobContainerClient(container).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            if (Directory.Exists(local))
            {
                Directory.Delete(local, recursive: true);
            }
        }
    }

    private static async Task<BenchReport> MeasureAsync(
        string brokerUrl, string connectionString, BlobServiceClient blobs, string container, string local,
        WorkerBenchPlan plan, CancellationToken cancellationToken)
    {
        var (stackCount, structureCount, shape) = (plan.Stacks, plan.Structures, plan.Shape);
        var storage = blobs.GetBlobContainerClient(container);
        await storage.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var structures = Enumerable.Range(0, structureCount).Select(i => $"structure{i}").ToArray();
        var settings = new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Url"] = brokerUrl,
            ["LabelFree:Storage:Kind"] = "AzureBlob",
            ["LabelFree:Storage:ConnectionString"] = connectionString,
            ["LabelFree:Storage:InputContainer"] = container,
            ["LabelFree:Storage:OutputContainer"] = container,
            ["LabelFree:Storage:ModelContainer"] = container,
            ["LabelFree:Broker:Concurrency"] = plan.Concurrency.ToString(CultureInfo.InvariantCulture),
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < structures.Length; i++)
        {
            var folder = Path.Combine(local, structures[i]);
            var architecture = FnetArchitecture.Paper3D;
            using (var bundle = new ModelBundle(
                ModelManifest.Describe(new ModelCard(structures[i], "BrightField") { VoxelSize = VoxelSize.PaperIsotropic }, architecture),
                Fnet.Create(architecture, seed: 100 + i)))
            {
                bundle.Save(folder);
            }

            foreach (var file in Directory.GetFiles(folder))
            {
                await storage.GetBlobClient($"models/{structures[i]}/v1/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true, cancellationToken);
            }

            settings[$"LabelFree:Models:{i}:Structure"] = structures[i];
            settings[$"LabelFree:Models:{i}:Location:Prefix"] = $"models/{structures[i]}/v1/";
        }

        var volumes = new List<Volume>();
        var messages = new List<StackAcquired>();
        for (var s = 0; s < stackCount; s++)
        {
            var volume = RandomStack(shape, seed: s);
            volumes.Add(volume);
            using var encoded = new MemoryStream();
            OmeTiffWriter.Write(Hyperstack.FromVolume(volume, plan.VoxelSize, "bright-field"), encoded);
            var name = $"inputs/stack-{s:000}.ome.tiff";
            encoded.Position = 0;
            await storage.GetBlobClient(name).UploadAsync(encoded, overwrite: true, cancellationToken);
            messages.Add(new StackAcquired
            {
                StackId = $"stack-{s:000}",
                BatchId = "bench",
                Input = new BlobLocation { Container = container, Name = name },
                Modality = Modality.BrightField,
                TransmittedLightChannel = new ChannelSelector { Index = 0 },
            });
        }

        // Measured before and after the worker run: on a shared machine the load drifts.
        using var computeThread = new ComputeThread("bench-compute");
        var computeBefore = await computeThread.RunAsync(() => PureCompute(local, structures, volumes, plan.VoxelSize, cancellationToken), cancellationToken);
        var results = Channel.CreateUnbounded<object>();
        var worker = WorkerHost.Build([], settings);
        await worker.StartAsync(cancellationToken);
        TimeSpan endToEnd;
        var predicted = new List<StackPredicted>();
        try
        {
            var bus = worker.Services.GetRequiredService<IBus>();
            var events = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), null, endpoint =>
            {
                endpoint.Handler<StackPredicted>(context => results.Writer.WriteAsync(context.Message, context.CancellationToken).AsTask());
                endpoint.Handler<StackRejected>(context => results.Writer.WriteAsync(context.Message, context.CancellationToken).AsTask());
            });
            await events.Ready;
            var clock = Stopwatch.StartNew();
            foreach (var message in messages)
            {
                await bus.Publish(message, cancellationToken);
            }

            while (predicted.Count < stackCount)
            {
                var result = await results.Reader.ReadAsync(cancellationToken);
                predicted.Add(result as StackPredicted
                    ?? throw new InvalidOperationException($"The worker rejected a benchmark stack: {((StackRejected)result).Message}"));
            }

            endToEnd = clock.Elapsed;
            await events.StopAsync(cancellationToken);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            await worker.DisposeAsync();
        }

        var computeAfter = await computeThread.RunAsync(() => PureCompute(local, structures, volumes, plan.VoxelSize, cancellationToken), cancellationToken);
        return BenchReport.From(plan, endToEnd, [computeBefore, computeAfter], predicted);
    }

    // The same models and stacks straight through the Pipeline (on one dedicated thread, as in the worker):
    // no broker, no storage, no TIFF.
    private static TimeSpan PureCompute(string local, IReadOnlyList<string> structures, IReadOnlyList<Volume> volumes, VoxelSize voxelSize,
        CancellationToken cancellationToken)
    {
        var options = new PredictionOptions();
        var predictors = structures.Select(s => new StructurePredictor(ModelBundle.Load(Path.Combine(local, s)), options)).ToArray();
        try
        {
            foreach (var predictor in predictors)
            {
                predictor.Predict(volumes[0], voxelSize, cancellationToken);
            }

            var clock = Stopwatch.StartNew();
            foreach (var volume in volumes)
            {
                foreach (var predictor in predictors)
                {
                    predictor.Predict(volume, voxelSize, cancellationToken);
                }
            }

            return clock.Elapsed;
        }
        finally
        {
            foreach (var predictor in predictors)
            {
                predictor.Dispose();
            }
        }
    }

    private static (string BrokerUrl, string ConnectionString) Services()
    {
        var configuration = WorkerConfiguration.Load();
        var broker = Present(configuration["LabelFree:Broker:Url"]) ?? Present(Environment.GetEnvironmentVariable("RABBITMQ_URL"));
        var storage = Present(configuration["LabelFree:Storage:ConnectionString"]) ?? Present(Environment.GetEnvironmentVariable("AZURE_BLOB_CONNECTION_STRING"));
        var missing = new List<string>();
        if (broker is null)
        {
            missing.Add("a RabbitMQ broker (LABELFREE__Broker__Url or RABBITMQ_URL)");
        }

        if (storage is null)
        {
            missing.Add("Azure Blob storage or Azurite (LABELFREE__Storage__ConnectionString or AZURE_BLOB_CONNECTION_STRING)");
        }

        return missing.Count == 0
            ? (broker!, storage!)
            : throw new UsageException($"bench worker needs {string.Join(" and ", missing)}; e.g. run it after `source scripts/test-services.sh && start_test_services`.");
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // Smooth random structure plus noise, so z-scoring and the network see image-like contrast.
    private static Volume RandomStack(VolumeShape shape, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        var volume = new Volume(shape);
        var (fz, fy, fx) = (random.NextDouble() * 0.3, random.NextDouble() * 0.2, random.NextDouble() * 0.2);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    volume[z, y, x] = (float)(100 + (20 * Math.Sin((fz * z) + (fy * y)) * Math.Cos(fx * x)) + (5 * random.NextDouble()));
                }
            }
        }

        return volume;
    }
}
