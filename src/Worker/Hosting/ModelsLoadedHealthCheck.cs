using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LabelFree.Worker.Hosting;

/// <summary>Readiness check (tag "ready"): healthy once every configured model is loaded and warm.</summary>
public sealed class ModelsLoadedHealthCheck(ModelReadiness readiness) : IHealthCheck
{
    /// <summary>The check's name in health reports.</summary>
    public const string Name = "models-loaded";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = readiness.IsReady
            ? HealthCheckResult.Healthy($"{readiness.LoadedModels.Count} models loaded: {string.Join(", ", readiness.LoadedModels)}")
            : HealthCheckResult.Unhealthy("models are not loaded yet");
        return Task.FromResult(result);
    }
}
