using System.Globalization;
using LabelFree.Compute;
using LabelFree.Worker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// Wires the worker host: options, storage, telemetry and the HTTP endpoints. The message consumer is
/// registered separately, beside its ConsumerDefinition.
/// </summary>
public static class WorkerHostExtensions
{
    /// <summary>Tag of the checks /readyz runs (MassTransit tags its bus check "ready" too).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Binds <see cref="WorkerOptions"/> to the "LabelFree" section, validates it when the host starts,
    /// and gives the host <see cref="WorkerOptions.ShutdownGracePeriod"/> to stop in.
    /// </summary>
    public static IServiceCollection AddLabelFreeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection(WorkerOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();

        // Read straight from configuration: the host resolves HostOptions while it is being built, before
        // validation runs, and a bad value must surface as a validation message at start, not as a build crash.
        services.AddOptions<HostOptions>().Configure(host =>
        {
            var configured = configuration[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ShutdownGracePeriod)}"];
            host.ShutdownTimeout = TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var grace) && grace > TimeSpan.Zero
                ? grace
                : new WorkerOptions().ShutdownGracePeriod;
        });
        return services;
    }

    /// <summary>
    /// Registers <see cref="IBlobStore"/> (local folder or Azure Blob, per LabelFree:Storage:Kind), the
    /// <see cref="BlobLocationPolicy"/> built from the configured containers and models, and the
    /// <see cref="PredictionLayout"/>.
    /// </summary>
    public static IServiceCollection AddLabelFreeStorage(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Storage;
            return new PredictionLayout(storage.OutputContainer, storage.ModelContainer);
        });
        services.AddSingleton(provider => LocationPolicy(
            provider.GetRequiredService<IOptions<WorkerOptions>>().Value,
            provider.GetRequiredService<PredictionLayout>()));
        services.AddSingleton<IBlobStore>(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Storage;
            var policy = provider.GetRequiredService<BlobLocationPolicy>();
            if (storage.Kind == StorageKind.Local)
            {
                return new LocalFolderBlobStore(Path.GetFullPath(storage.LocalRoot), policy);
            }

            var telemetry = provider.GetService<WorkerTelemetry>();
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<AzureBlobStore>();
            var pipeline = StorageResilience.Build(storage.Resilience, retry =>
            {
                telemetry?.RecordStorageRetry(retry);
                StorageLog.Retrying(logger, retry.Operation, retry.AttemptNumber + 1, retry.Delay, retry.Fault?.GetType().Name ?? "failure");
            });
            return new AzureBlobStore(
                AzureBlobStore.CreateServiceClient(storage.ConnectionString!, storage.Resilience.RequestTimeout), policy, pipeline);
        });
        return services;
    }

    /// <summary>
    /// Registers <see cref="WorkerTelemetry"/>, the models-loaded readiness check and OpenTelemetry metrics
    /// (the worker's meter, MassTransit's meter and the .NET runtime) exported for Prometheus.
    /// </summary>
    public static IServiceCollection AddLabelFreeTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<WorkerTelemetry>();
        services.AddSingleton<ModelReadiness>();
        services.AddHealthChecks()
            .AddCheck<ModelsLoadedHealthCheck>(ModelsLoadedHealthCheck.Name, tags: [ReadyTag]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("labelfree-worker"))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerTelemetry.MeterName)
                .AddMeter("MassTransit")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Registers the compute choice made for this worker: its readiness check (not ready when refused) and
    /// its start-up report (log line and info metric).
    /// </summary>
    public static IServiceCollection AddLabelFreeCompute(this IServiceCollection services, ComputeChoice choice)
    {
        services.AddSingleton(choice);
        services.AddHostedService<ComputeLevelReport>();
        services.AddHealthChecks().AddCheck<ComputeVerifiedHealthCheck>(ComputeVerifiedHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    /// <summary>Listens on LabelFree:Http:Urls (default http://127.0.0.1:8080).</summary>
    public static WebApplicationBuilder UseLabelFreeHttpUrls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var http = new HttpOptions();
        builder.Configuration.GetSection($"{WorkerOptions.SectionName}:Http").Bind(http);
        builder.WebHost.UseUrls(http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return builder;
    }

    /// <summary>
    /// Maps /healthz (liveness: 200 while the process serves requests, no checks run), /readyz (checks
    /// tagged "ready"; Degraded and Unhealthy both answer 503, since ASP.NET maps Degraded to 200 by
    /// default and a degraded bus must not receive work) and /metrics (Prometheus text format).
    /// </summary>
    public static IEndpointRouteBuilder MapLabelFreeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthReportJson.WriteAsync,
        });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthReportJson.WriteAsync,
        });
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }

    private static BlobLocationPolicy LocationPolicy(WorkerOptions options, PredictionLayout layout)
    {
        var storage = options.Storage;
        var modelAreas = options.Models.Select(m => new StorageArea(m.Location.Container ?? storage.ModelContainer, PredictionLayout.ModelsPrefix));
        return new BlobLocationPolicy(new StorageArea(storage.InputContainer, storage.InputPrefix), layout.Areas.Concat(modelAreas));
    }
}
