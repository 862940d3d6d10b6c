using System.Diagnostics.Metrics;
using LabelFree.Compute;
using LabelFree.Pipeline.Compute;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// Says at start-up what this worker computes with: the compute level and each path's self-test verdict
/// (or why no level passed), as a log line and as the info metric
/// labelfree_compute_path_info{level, path, verdict} = 1, one series per path the worker uses.
/// </summary>
public sealed partial class ComputeLevelReport : IHostedService
{
    private readonly ComputeChoice _choice;
    private readonly ILogger<ComputeLevelReport> _logger;

    public ComputeLevelReport(ComputeChoice choice, IMeterFactory meterFactory, ILogger<ComputeLevelReport> logger)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _choice = choice;
        _logger = logger;
        meterFactory.Create(WorkerTelemetry.MeterName).CreateObservableGauge("labelfree.compute.path.info", Series, unit: null,
            "The compute level and self-test verdict of each path this worker uses (always 1).");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_choice.Refused)
        {
            Log.Refused(_logger, _choice.Describe());
        }
        else
        {
            Log.Verified(_logger, _choice.Level!.Name, _choice.Describe());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Series() => _choice.Paths.Select(path =>
    {
        var verdict = _choice.Verdicts.LastOrDefault(v => v.Path == path && (_choice.Level is null || v.Level == _choice.Level.Name));
        return new Measurement<int>(1,
            new KeyValuePair<string, object?>("level", _choice.Level?.Name ?? "none"),
            new KeyValuePair<string, object?>("path", ComputePaths.Name(path)),
            new KeyValuePair<string, object?>("verdict", verdict is { Passed: true } ? "pass" : "fail"));
    });

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Compute level {Level}: {Description}")]
        public static partial void Verified(ILogger logger, string level, string description);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Critical, Message = "The worker will not become ready: {Description}")]
        public static partial void Refused(ILogger logger, string description);
    }
}
