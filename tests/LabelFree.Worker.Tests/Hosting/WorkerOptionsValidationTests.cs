using LabelFree.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Tests.Hosting;

public class WorkerOptionsValidationTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Broker:Concurrency", "0", "LabelFree:Broker:Concurrency must be between 1 and 64, got 0" },
        { "Broker:Concurrency", "65", "LabelFree:Broker:Concurrency must be between 1 and 64, got 65" },
        { "Broker:Url", "http://rabbit:5672/", "LabelFree:Broker:Url must be an amqp://, amqps://, rabbitmq:// or rabbitmqs:// URL" },
        { "Broker:StackTimeBudget", "00:00:00", "LabelFree:Broker:StackTimeBudget must be between 00:00:01 and 06:00:00, got 00:00:00" },
        { "Broker:RetryIntervals:0", "01:00:00", "LabelFree:Broker:RetryIntervals:0 must be between 00:00:00 and 00:10:00, got 01:00:00" },
        { "ShutdownGracePeriod", "-00:00:01", "LabelFree:ShutdownGracePeriod must be between 00:00:01 and 01:00:00, got -00:00:01" },
        { "Storage:Kind", "AzureBlob", "LabelFree:Storage:ConnectionString is required when LabelFree:Storage:Kind is AzureBlob" },
        { "Storage:ConnectionString", "UseDevelopmentStorage=true", "LabelFree:Storage:ConnectionString is set but LabelFree:Storage:Kind is Local" },
        { "Storage:OutputContainer", "Predictions_2024", "LabelFree:Storage:OutputContainer must be 3-63 lowercase letters, digits and single hyphens" },
        { "Storage:InputContainer", "in", "LabelFree:Storage:InputContainer must be 3-63 lowercase letters" },
        { "Storage:InputPrefix", "../other/", "LabelFree:Storage:InputPrefix must be empty or folder names" },
        { "Storage:Resilience:MaxRetryAttempts", "-1", "LabelFree:Storage:Resilience:MaxRetryAttempts must be between 0 and 20, got -1" },
        { "Storage:Resilience:AttemptTimeout", "00:30:00", "LabelFree:Storage:Resilience:AttemptTimeout (00:30:00) must not exceed LabelFree:Broker:StackTimeBudget (00:20:00)" },
        { "Storage:Resilience:CircuitFailureRatio", "1.5", "LabelFree:Storage:Resilience:CircuitFailureRatio must be between 0.01 and 1, got 1.5" },
        { "Prediction:Margin", "-1", "LabelFree:Prediction:Margin must be between 0 and 1024, got -1" },
        { "Prediction:CpuThreads", "-2", "LabelFree:Prediction:CpuThreads must be between 0 and 1024, got -2" },
        { "Prediction:MaxVoxelsPerPass", "100", "LabelFree:Prediction:MaxVoxelsPerPass must be between 4096 and 2147483647, got 100" },
        { "Prediction:MaxInputVoxels", "0", "LabelFree:Prediction:MaxInputVoxels must be between 1 and 1099511627776, got 0" },
        { "Http:Urls", "ftp://0.0.0.0:21", "LabelFree:Http:Urls must be one or more http:// or https:// URLs with a port" },
        { "Http:Urls", "http://127.0.0.1", "LabelFree:Http:Urls must be one or more http:// or https:// URLs with a port" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_host_at_start_with_a_message_naming_it(string setting, string value, string expected)
    {
        using var host = HostWith(new Dictionary<string, string?> { [$"LabelFree:{setting}"] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_model_entries_are_named_by_their_index()
    {
        using var host = HostWith(new Dictionary<string, string?>
        {
            ["LabelFree:Models:0:Structure"] = "dna",
            ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
            ["LabelFree:Models:1:Structure"] = "dna",
            ["LabelFree:Models:1:Location:Prefix"] = "models/dna/v2/",
            ["LabelFree:Models:2:Structure"] = "cell membrane",
            ["LabelFree:Models:2:Location:Prefix"] = "weights/membrane/",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("LabelFree:Models:1 repeats structure 'dna' for modality BrightField (already LabelFree:Models:0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("LabelFree:Models:2:Structure must be 1-128 letters", error.Message, StringComparison.Ordinal);
        Assert.Contains("LabelFree:Models:2:Location:Prefix must start with 'models/'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LabelFree:Models:0", error.Message.Replace("(already LabelFree:Models:0)", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        using var host = HostWith(new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Concurrency"] = "0",
            ["LabelFree:Prediction:Margin"] = "-1",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task With_no_configuration_the_worker_runs_embedded_with_documented_defaults()
    {
        using var host = HostWith([]);

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        await host.StopAsync();

        Assert.True(options.Broker.IsEmbedded);
        Assert.Equal(1, options.Broker.Concurrency);
        Assert.Equal(1, options.Broker.PrefetchCount);
        Assert.Equal(TimeSpan.FromMinutes(20), options.Broker.StackTimeBudget);
        Assert.Equal(StorageKind.Local, options.Storage.Kind);
        Assert.Equal("http://127.0.0.1:8080", options.Http.Urls);
        Assert.Equal(options.ShutdownGracePeriod, host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task A_complete_production_configuration_is_accepted()
    {
        using var host = HostWith(new Dictionary<string, string?>
        {
            ["LabelFree:Broker:Url"] = "amqp://worker:s3cret@rabbitmq.labelfree.svc:5672/labelfree",
            ["LabelFree:Broker:Concurrency"] = "2",
            ["LabelFree:Broker:RetryIntervals:0"] = "00:00:02",
            ["LabelFree:Storage:Kind"] = "AzureBlob",
            ["LabelFree:Storage:ConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=labelfreeprod;AccountKey=" + Convert.ToBase64String(new byte[64]) + ";EndpointSuffix=core.windows.net",
            ["LabelFree:Storage:InputPrefix"] = "acquisitions/",
            ["LabelFree:Models:0:Structure"] = "dna",
            ["LabelFree:Models:0:Modality"] = "BrightField",
            ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v3/",
            ["LabelFree:Models:1:Structure"] = "mbp",
            ["LabelFree:Models:1:Modality"] = "Em",
            ["LabelFree:Models:1:Location:Container"] = "em-models",
            ["LabelFree:Models:1:Location:Prefix"] = "models/mbp/2024.05/",
            ["LabelFree:Prediction:Precision"] = "BFloat16",
            ["LabelFree:Http:Urls"] = "http://+:8080",
        });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        await host.StopAsync();

        Assert.Equal([TimeSpan.FromSeconds(2)], options.Broker.EffectiveRetryIntervals);
        Assert.Equal(Messages.Modality.Em, options.Models[1].Modality);
        Assert.Equal(PredictionPrecision.BFloat16, options.Prediction.Precision);
    }

    [Fact]
    public void The_consumer_timeout_covers_every_retried_attempt_the_waits_between_and_the_margin()
    {
        var broker = new BrokerOptions
        {
            StackTimeBudget = TimeSpan.FromMinutes(10),
            RetryIntervals = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)],
            ConsumerTimeoutMargin = TimeSpan.FromMinutes(1),
        };

        // Three attempts of 10 minutes, 5 s of waiting, 1 minute of margin.
        Assert.Equal(new TimeSpan(0, 31, 5), broker.ConsumerTimeout);
    }

    internal static IHost HostWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLabelFreeOptions(builder.Configuration);
        return builder.Build();
    }
}
