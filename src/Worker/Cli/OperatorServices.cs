using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Cli;

/// <summary>
/// What the operator verbs (submit, batch-status) share with the worker: the same configuration
/// (appsettings.json next to the executable, then LABELFREE__ environment variables), validated the same
/// way, and the same blob store and storage layout.
/// </summary>
public sealed class OperatorServices : IDisposable
{
    private readonly ServiceProvider _provider;

    private OperatorServices(ServiceProvider provider)
    {
        _provider = provider;
        Options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
        Store = provider.GetRequiredService<IBlobStore>();
        Layout = provider.GetRequiredService<PredictionLayout>();
    }

    public WorkerOptions Options { get; }

    public IBlobStore Store { get; }

    public PredictionLayout Layout { get; }

    /// <exception cref="UsageException">The configuration is invalid; the message names every bad setting.</exception>
    public static OperatorServices Create(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = WorkerConfiguration.Load(settings);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddLabelFreeOptions(configuration).AddLabelFreeStorage();
        var provider = services.BuildServiceProvider();
        try
        {
            return new OperatorServices(provider);
        }
        catch (OptionsValidationException e)
        {
            provider.Dispose();
            throw new UsageException("invalid configuration: " + string.Join("; ", e.Failures));
        }
    }

    public void Dispose() => _provider.Dispose();
}
