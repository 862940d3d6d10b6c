using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// examples/python/labelfree_client.py, run by Debian's Python with python3-pika, against the test RabbitMQ and a
/// worker in this process with the local-folder store: it publishes StackAcquired as plain JSON, waits for the
/// matching StackPredicted or StackRejected, and opens the prediction with tifffile.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class PythonClientTests(RabbitMqBroker broker) : IAsyncLifetime
{
    private static readonly string Client = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "python", "labelfree_client.py");

    private readonly string _root = TestEnvironment.NewTempFolder("labelfree-python-client");
    private BrokerVirtualHost? _vhost;
    private Microsoft.AspNetCore.Builder.WebApplication? _worker;

    public async Task InitializeAsync()
    {
        var models = Path.Combine(_root, "labelfree", "models", "dna", "v1");
        Directory.CreateDirectory(Path.GetDirectoryName(models)!);
        Directory.Move(TinyModels.Save(_root, "dna", seed: 5), models);
        await File.WriteAllBytesAsync(Path.Combine(_root, "field.ome.tiff"), TestStacks.OmeTiff());
        await File.WriteAllTextAsync(Path.Combine(_root, "notes.tiff"), "not a TIFF at all");
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            await _worker.DisposeAsync();
        }

        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [SkippableFact]
    public async Task The_client_submits_a_stack_waits_for_its_prediction_and_opens_it()
    {
        await StartWorkerAsync();

        var (exitCode, result, error) = RunClient("field.ome.tiff", "stack-1");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{result}");
        Assert.Equal("StackPredicted", result.GetProperty("event").GetString());
        Assert.Equal("stack-1", result.GetProperty("message").GetProperty("stackId").GetString());
        var prediction = result.GetProperty("prediction");
        var path = prediction.GetProperty("path").GetString()!;
        Assert.StartsWith(Path.Combine(_root, "labelfree", "predictions", "python-batch", "stack-1", "attempt-"), path, StringComparison.Ordinal);
        Assert.EndsWith("prediction.ome.tiff", path, StringComparison.Ordinal);
        Assert.Equal("ZYX", prediction.GetProperty("axes").GetString());
        Assert.Equal([16, 32, 32], prediction.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(["dna"], prediction.GetProperty("channels").EnumerateArray().Select(v => v.GetString()));
        Assert.True(prediction.GetProperty("max").GetDouble() > prediction.GetProperty("min").GetDouble());
    }

    [SkippableFact]
    public async Task The_client_reports_a_rejected_stack_with_its_reason()
    {
        await StartWorkerAsync();

        var (exitCode, result, error) = RunClient("notes.tiff", "stack-2");

        Assert.True(exitCode == 2, $"exit {exitCode}: {error}\n{result}");
        Assert.Equal("StackRejected", result.GetProperty("event").GetString());
        Assert.Equal("NotATiff", result.GetProperty("message").GetProperty("reason").GetString());
    }

    private async Task StartWorkerAsync()
    {
        var amqp = broker.RequireAmqpUri();
        DebianPython.RequireModules(["pika", "tifffile", "numpy"], "python3-pika python3-tifffile python3-numpy");
        _vhost = await BrokerVirtualHost.CreateAsync(amqp);
        _worker = WorkerHost.Build([], new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Url"] = _vhost.AmqpUri.ToString(),
            ["LabelFree:Storage:Kind"] = "Local",
            ["LabelFree:Storage:LocalRoot"] = _root,
            ["LabelFree:Models:0:Structure"] = "dna",
            ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
            ["LabelFree:Prediction:CpuThreads"] = "2",
            ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _worker.StartAsync();
    }

    private (int ExitCode, JsonElement Result, string Error) RunClient(string image, string stack)
    {
        var (exitCode, output, error) = DebianPython.Run([
            Client, "--amqp", _vhost!.AmqpUri.ToString(), "--store-root", _root, "--image", Path.Combine(_root, image),
            "--batch", "python-batch", "--stack", stack, "--channel", "bright-field", "--timeout", "120",
        ]);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "{}";
        using var document = JsonDocument.Parse(lastLine);
        return (exitCode, document.RootElement.Clone(), error);
    }
}
