using System.Net;
using System.Text.RegularExpressions;
using LabelFree.Compute;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Tests.Hosting;

/// <summary>The worker's HTTP surface, served by a real Kestrel on a free loopback port.</summary>
/// <remarks>
/// OpenTelemetry listens to every meter named LabelFree.Worker in the process, so these counts would include
/// stacks of workers running in other tests: it shares their collection and runs when none does.
/// </remarks>
[Collection(EndToEnd.WorkerServicesCollection.Name)]
public class WorkerEndpointsTests
{
    [Fact]
    public async Task Metrics_are_exposed_under_their_prometheus_names()
    {
        await using var app = await StartAsync();
        var telemetry = app.Services.GetRequiredService<WorkerTelemetry>();
        telemetry.StackStarted();
        telemetry.StackStarted();
        telemetry.StackFinished();
        telemetry.StackPredicted();
        telemetry.StackRejected(RejectionReason.Truncated);
        telemetry.StackRejected(RejectionReason.Truncated);
        telemetry.StackFailed(StackFailure.NonFinitePrediction);
        telemetry.RecordStage(WorkerStage.Download, TimeSpan.FromSeconds(1.5));
        telemetry.RecordInference("dna", TimeSpan.FromSeconds(11));
        telemetry.RecordThroughput(4_239_360, TimeSpan.FromSeconds(20));
        telemetry.RecordModelLoad("dna", TimeSpan.FromSeconds(3));
        telemetry.RecordPearsonR("dna", 0.87);
        telemetry.RecordStorageRetry(new StorageRetry("download", 0, TimeSpan.FromSeconds(1), null));

        var metrics = await Client(app).GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(1, Value(metrics, "labelfree_stacks_predicted_total"));
        Assert.Equal(2, Value(metrics, "labelfree_stacks_rejected_total", "reason=\"Truncated\""));
        Assert.Equal(1, Value(metrics, "labelfree_stacks_failed_total", "reason=\"non_finite_prediction\""));
        Assert.Equal(0, Value(metrics, "labelfree_stacks_failed_total", "reason=\"defect\""));
        Assert.Equal(1, Value(metrics, "labelfree_stacks_in_flight"));
        Assert.Equal(1.5, Value(metrics, "labelfree_stage_duration_seconds_sum", "stage=\"download\""));
        Assert.Equal(11, Value(metrics, "labelfree_stage_duration_seconds_sum", "stage=\"inference\"", "structure=\"dna\""));
        Assert.Equal(1, Value(metrics, "labelfree_stage_duration_seconds_bucket", "stage=\"download\"", "le=\"2.5\""));
        Assert.Equal(0, Value(metrics, "labelfree_stage_duration_seconds_bucket", "stage=\"download\"", "le=\"1\""));
        Assert.Equal(211_968, Value(metrics, "labelfree_voxels_per_second_sum"));
        Assert.Equal(1, Value(metrics, "labelfree_model_load_duration_seconds_count", "structure=\"dna\""));
        Assert.Equal(1, Value(metrics, "labelfree_pearson_r_bucket", "structure=\"dna\"", "le=\"0.9\""));
        Assert.Equal(0, Value(metrics, "labelfree_pearson_r_bucket", "structure=\"dna\"", "le=\"0.85\""));
        Assert.Equal(1, Value(metrics, "labelfree_storage_retries_total", "operation=\"download\""));
        Assert.Matches(new Regex("^dotnet_", RegexOptions.Multiline), metrics);
    }

    [Fact]
    public async Task Liveness_is_up_at_once_and_readiness_waits_for_the_models()
    {
        await using var app = await StartAsync();
        var client = Client(app);

        var aliveBefore = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var readyBefore = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        app.Services.GetRequiredService<ModelReadiness>().MarkLoaded(["dna/v3", "membrane/v1"]);
        var readyAfter = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, aliveBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyBefore.StatusCode);
        Assert.Contains("models are not loaded yet", await readyBefore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readyAfter.StatusCode);
        Assert.Contains("2 models loaded: dna/v3, membrane/v1", await readyAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_degraded_ready_check_makes_readiness_fail_but_not_liveness()
    {
        // What MassTransit's bus check reports while the broker is down: Degraded, tagged "ready".
        await using var app = await StartAsync(services => services.AddHealthChecks()
            .AddCheck("bus", () => HealthCheckResult.Degraded("Degraded Endpoints: stack-acquired"), tags: [WorkerHostExtensions.ReadyTag]));
        app.Services.GetRequiredService<ModelReadiness>().MarkLoaded(["dna/v3"]);
        var client = Client(app);

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var alive = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("Degraded Endpoints: stack-acquired", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_worker_whose_compute_path_passed_says_at_which_level_in_its_metrics_and_readiness()
    {
        var verdict = new PathVerdict(ComputePath.Float32Inference, "avx2", 2, true, 3e-6, 1e-3, 5, 0.4, null);
        var verified = new ComputeChoice(ComputeLevel.Avx2, [ComputePath.Float32Inference], [verdict]);
        await using var app = await StartAsync(services => services.AddLabelFreeCompute(verified));
        app.Services.GetRequiredService<ModelReadiness>().MarkLoaded(["dna/v3"]);
        var client = Client(app);

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Compute level avx2", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Value(metrics, "labelfree_compute_path_info", "level=\"avx2\"", "path=\"fp32-inference\"", "verdict=\"pass\""));
    }

    [Fact]
    public async Task A_worker_whose_compute_path_is_refused_stays_alive_but_never_ready_and_says_why()
    {
        var failed = ComputeLevel.Candidates.Select(level =>
            new PathVerdict(ComputePath.Float32Inference, level.Name, 2, false, 2.0, 1e-3, 1, 0.2, "the output is off by 2 (tolerance 0.001)")).ToList();
        var refused = new ComputeChoice(null, [ComputePath.Float32Inference], failed);
        await using var app = await StartAsync(services => services.AddLabelFreeCompute(refused));
        app.Services.GetRequiredService<ModelReadiness>().MarkLoaded(["dna/v3"]);
        var client = Client(app);

        var alive = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var why = await ready.Content.ReadAsStringAsync();
        Assert.Contains("No compute level passes the self-test for fp32-inference", why, StringComparison.Ordinal);
        Assert.Contains("fp32-inference at default: the output is off by 2", why, StringComparison.Ordinal);
        Assert.Equal(1, Value(metrics, "labelfree_compute_path_info", "level=\"none\"", "path=\"fp32-inference\"", "verdict=\"fail\""));
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LabelFree:Http:Urls"] = "http://127.0.0.1:0" });
        builder.Logging.ClearProviders();
        builder.UseLabelFreeHttpUrls();
        builder.Services.AddLabelFreeOptions(builder.Configuration);
        builder.Services.AddLabelFreeTelemetry();
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapLabelFreeEndpoints();
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        // Kestrel replaces the configured port 0 with the one it bound.
        var address = app.Urls.Single();
        return new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
    }

    // The value of the one sample of `name` whose labels include every one of `labels`.
    private static double Value(string metrics, string name, params string[] labels)
    {
        var samples = metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .ToArray();
        var sample = Assert.Single(samples);
        var afterLabels = sample[(sample.LastIndexOf('}') + 1)..].Trim();
        return double.Parse(afterLabels.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
