using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// The worker process as one WebApplication: configuration (appsettings.json next to the executable,
/// then LABELFREE__ environment variables, then command-line overrides), storage, telemetry, the model
/// catalog, the message bus, and the /healthz, /readyz and /metrics endpoints.
/// </summary>
public static class WorkerHost
{
    /// <param name="settings">Extra configuration on top of everything else (tests, benchmarks, the demo).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
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
        builder.Services
            .AddLabelFreeOptions(builder.Configuration)
            .AddLabelFreeTelemetry()
            .AddLabelFreeStorage()
            .AddLabelFreeConsumer(builder.Configuration);
        var app = builder.Build();
        app.MapLabelFreeEndpoints();
        return app;
    }
}
