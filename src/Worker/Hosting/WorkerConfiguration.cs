using Microsoft.Extensions.Configuration;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// The worker's configuration for the verbs that run outside its WebApplication (submit, batch-status, bench
/// worker), from the same sources in the same order as <see cref="WorkerHost"/>'s builder: appsettings.json next to
/// the executable, then environment variables (LABELFREE__Section__Key), then the caller's settings.
/// </summary>
public static class WorkerConfiguration
{
    public static IConfigurationRoot Load(IReadOnlyDictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
}
