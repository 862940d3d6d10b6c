using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// Everything one end-to-end test needs, isolated from other tests: a RabbitMQ virtual host of its own
/// (so its stack-acquired queue is its own), blob containers of its own with tiny model bundles under
/// models/, a plain-AMQP event subscriber, and the worker configuration pointing at all of it.
/// </summary>
internal sealed class WorkerTestBed : IAsyncDisposable
{
    public static readonly string[] Structures = ["dna", "membrane"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly BrokerVirtualHost _vhost;
    private readonly List<WebApplication> _workers = [];

    private WorkerTestBed(BrokerVirtualHost vhost, string connectionString, string id)
    {
        _vhost = vhost;
        VirtualHost = vhost.Name;
        BrokerUri = vhost.AmqpUri;
        ConnectionString = connectionString;
        InputContainer = $"in-{id}";
        OutputContainer = $"out-{id}";
        Blobs = new BlobServiceClient(connectionString);
        ModelFolder = TestEnvironment.NewTempFolder("labelfree-models");
        Settings = new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Url"] = BrokerUri.ToString(),
            ["LabelFree:Broker:RetryIntervals:0"] = "00:00:00.200",
            ["LabelFree:Broker:RetryIntervals:1"] = "00:00:00.500",
            ["LabelFree:Broker:StackTimeBudget"] = "00:02:00",
            ["LabelFree:Storage:Kind"] = "AzureBlob",
            ["LabelFree:Storage:ConnectionString"] = connectionString,
            ["LabelFree:Storage:InputContainer"] = InputContainer,
            ["LabelFree:Storage:OutputContainer"] = OutputContainer,
            ["LabelFree:Storage:ModelContainer"] = OutputContainer,
            ["LabelFree:Storage:Resilience:MaxRetryAttempts"] = "2",
            ["LabelFree:Storage:Resilience:RetryBaseDelay"] = "00:00:00.100",
            ["LabelFree:Storage:Resilience:RetryMaxDelay"] = "00:00:00.300",
            ["LabelFree:Storage:Resilience:RequestTimeout"] = "00:00:05",
            ["LabelFree:Storage:Resilience:AttemptTimeout"] = "00:00:30",
            ["LabelFree:Storage:Resilience:CircuitBreakDuration"] = "00:00:00.500",
            ["LabelFree:Prediction:CpuThreads"] = "2",
            ["LabelFree:Prediction:MaxInputVoxels"] = "100000",
            ["LabelFree:ShutdownGracePeriod"] = "00:00:10",
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:LabelFree"] = "Warning",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
        };
        for (var i = 0; i < Structures.Length; i++)
        {
            Settings[$"LabelFree:Models:{i}:Structure"] = Structures[i];
            Settings[$"LabelFree:Models:{i}:Modality"] = "BrightField";
            Settings[$"LabelFree:Models:{i}:Location:Prefix"] = $"models/{Structures[i]}/v1/";
        }
    }

    public string VirtualHost { get; }

    /// <summary>amqp://.../{vhost} of this test.</summary>
    public Uri BrokerUri { get; }

    public string ConnectionString { get; }

    public string InputContainer { get; }

    public string OutputContainer { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Local copies of the model bundles, one folder per structure.</summary>
    public string ModelFolder { get; }

    /// <summary>The worker's configuration; a test may change entries before starting a worker.</summary>
    public Dictionary<string, string?> Settings { get; }

    public EventQueue Events { get; private set; } = null!;

    /// <summary>Sets up the isolated broker vhost, containers, model bundles and event subscriber.</summary>
    /// <param name="managementUrl">The broker's management API (default RABBITMQ_MANAGEMENT_URL); without one the default vhost is used.</param>
    public static async Task<WorkerTestBed> CreateAsync(Uri broker, string connectionString, int multChan = 4, string? managementUrl = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var bed = new WorkerTestBed(await BrokerVirtualHost.CreateAsync(broker, managementUrl), connectionString, id);

        await bed.Blobs.GetBlobContainerClient(bed.InputContainer).CreateIfNotExistsAsync();
        var outputs = bed.Blobs.GetBlobContainerClient(bed.OutputContainer);
        await outputs.CreateIfNotExistsAsync();
        for (var i = 0; i < Structures.Length; i++)
        {
            var folder = TinyModels.Save(bed.ModelFolder, Structures[i], seed: 11 + i, multChan);
            foreach (var file in Directory.GetFiles(folder))
            {
                await outputs.GetBlobClient($"models/{Structures[i]}/v1/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true);
            }
        }

        bed.Events = await EventQueue.StartAsync(bed.BrokerUri);
        return bed;
    }

    /// <summary>Starts an in-process worker with <see cref="Settings"/>; it is stopped when the test bed is disposed.</summary>
    /// <param name="services">Changes to the worker's services (e.g. a storage wrapper that stages a race).</param>
    public async Task<WebApplication> StartWorkerAsync(Action<IServiceCollection>? services = null)
    {
        var worker = WorkerHost.Build([], Settings, services);
        await worker.StartAsync();
        _workers.Add(worker);
        return worker;
    }

    public async Task StopWorkerAsync(WebApplication worker)
    {
        _workers.Remove(worker);
        await worker.StopAsync();
        await worker.DisposeAsync();
    }

    public async Task<BlobLocation> UploadInputAsync(string name, byte[] content)
    {
        await Blobs.GetBlobContainerClient(InputContainer).GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true);
        return new BlobLocation { Container = InputContainer, Name = name };
    }

    /// <summary>A StackAcquired for an input in this bed's input container, transmitted light in channel 0.</summary>
    public StackAcquired Stack(string stackId, BlobLocation input, string batchId = "batch-1") => new()
    {
        StackId = stackId,
        BatchId = batchId,
        Input = input,
        Modality = Modality.BrightField,
        TransmittedLightChannel = new ChannelSelector { Index = 0 },
    };

    /// <summary>Publishes the message as a non-MassTransit client would: plain JSON, no envelope, persistent.</summary>
    public Task PublishAsync(StackAcquired message) =>
        PublishRawAsync(JsonSerializer.SerializeToUtf8Bytes(message, Json), "application/json");

    public async Task PublishRawAsync(byte[] body, string? contentType)
    {
        var factory = new ConnectionFactory { Uri = BrokerUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = contentType,
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.NewGuid().ToString(),
        };
        await channel.BasicPublishAsync("LabelFree.Messages:StackAcquired", "", mandatory: false, properties, body);
    }

    public BlobClient OutputBlob(string name) => Blobs.GetBlobContainerClient(OutputContainer).GetBlobClient(name);

    /// <summary>The blob names under predictions/{batch}/.</summary>
    public async Task<IReadOnlyList<string>> OutputNamesAsync(string batchId = "batch-1")
    {
        var names = new List<string>();
        await foreach (var item in Blobs.GetBlobContainerClient(OutputContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"predictions/{batchId}/", CancellationToken.None))
        {
            names.Add(item.Name);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.ToArray())
        {
            await StopWorkerAsync(worker);
        }

        if (Events is not null)
        {
            await Events.DisposeAsync();
        }

        await _vhost.DisposeAsync();

        await Blobs.GetBlobContainerClient(InputContainer).DeleteIfExistsAsync();
        await Blobs.GetBlobContainerClient(OutputContainer).DeleteIfExistsAsync();
        Directory.Delete(ModelFolder, recursive: true);
    }

    /// <summary>Reads a worker's stack-acquired_error (or other) queue once; null when empty.</summary>
    public async Task<BasicGetResult?> GetFromQueueAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = BrokerUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The queue does not exist (yet).
            return null;
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
