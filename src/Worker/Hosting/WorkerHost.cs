using LabelFree.Compute;
using LabelFree.Pipeline.Compute;
using LabelFree.Worker.Consumers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// The worker process as one WebApplication: configuration (appsettings.json next to the executable,
/// then LABELFREE__ environment variables, then command-line overrides), storage, telemetry, the model
/// catalog, the message bus, and the /healthz, /readyz and /metrics endpoints. Before anything touches
/// libtorch, the compute path the worker will use is verified (<see cref="ComputeGate"/>): when no compute
/// level passes, the worker still serves /healthz and /metrics but registers no consumer and never becomes
/// ready, so no stack is ever computed on arithmetic that failed its self-test.
/// </summary>
public static class WorkerHost
{
    /// <param name="settings">Extra configuration on top of everything else (tests, benchmarks, the demo).</param>
    /// <param name="services">Changes to the services after the worker's own are registered (tests that wrap storage to stage a race).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.UseLabelFreeHttpUrls();
        var prediction = ConfiguredPrediction(builder.Configuration);
        var compute = ComputeGate.Ensure([ComputePaths.Inference(PredictionSettings.PrecisionOf(prediction.Precision))],
            ComputeSettings.FromEnvironment() with { Threads = prediction.CpuThreads > 0 ? prediction.CpuThreads : Environment.ProcessorCount });
        builder.Services
            .AddLabelFreeOptions(builder.Configuration)
            .AddLabelFreeTelemetry()
            .AddLabelFreeCompute(compute)
            .AddLabelFreeStorage();
        if (!compute.Refused)
        {
            builder.Services.AddLabelFreeConsumer(builder.Configuration);
        }

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapLabelFreeEndpoints();
        return app;
    }

    // Read before the options are validated (that happens when the host starts): an invalid value falls
    // back to the default here and is reported by validation.
    private static PredictionOptions ConfiguredPrediction(IConfiguration configuration)
    {
        var prediction = new PredictionOptions();
        try
        {
            configuration.GetSection($"{WorkerOptions.SectionName}:Prediction").Bind(prediction);
        }
        catch (InvalidOperationException)
        {
            prediction = new PredictionOptions();
        }

        return prediction;
    }
}
