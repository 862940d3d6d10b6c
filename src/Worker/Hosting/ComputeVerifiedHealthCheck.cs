using LabelFree.Compute;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LabelFree.Worker.Hosting;

/// <summary>Readiness check (tag "ready"): healthy when a compute level passed the self-test for every path the worker uses.</summary>
public sealed class ComputeVerifiedHealthCheck(ComputeChoice choice) : IHealthCheck
{
    public const string Name = "compute-verified";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(choice.Refused
            ? HealthCheckResult.Unhealthy(choice.Describe())
            : HealthCheckResult.Healthy(choice.Describe()));
}
