using System.Net;
using LabelFree.Compute;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Tests.TestSupport;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>`labelfree serve` on a machine where no compute level passes the self-test: alive, never ready, and saying why.</summary>
public class ComputeRefusalTests
{
    [Fact]
    public async Task A_worker_whose_compute_path_fails_at_every_level_serves_health_but_never_becomes_ready()
    {
        var folder = TestEnvironment.NewTempFolder("labelfree-refused-worker");
        var settings = new Dictionary<string, string?>
        {
            [ComputeSettings.CacheVariable] = RefusingVerdictCache.Create(Environment.ProcessorCount),
            ["LabelFree:Broker:Url"] = "",
            ["LabelFree:Storage:Kind"] = "Local",
            ["LabelFree:Storage:LocalRoot"] = Path.Combine(folder, "store"),
            ["LabelFree:Models:0:Structure"] = "dna",
            ["LabelFree:Models:0:Modality"] = "BrightField",
            ["LabelFree:Models:0:Location:Prefix"] = "models/dna/1/",
        };
        var port = ChildProcesses.FreePort();
        await using var worker = WorkerProcess.Start(settings, port, folder);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

        await ChildProcesses.WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return worker.HasExited ? throw new InvalidOperationException($"The worker exited:\n{worker.Output}") : false;
            }
        }, TimeSpan.FromMinutes(2), "the worker's /healthz");
        var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        var why = await ready.Content.ReadAsStringAsync();

        Assert.False(worker.HasExited);

        // The worker replaced itself (same pid) with a process on tcmalloc, which the test script installs.
        if (TestEnvironment.IsCi || File.Exists("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"))
        {
            Assert.Contains("libtcmalloc", worker.MappedLibraries, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("No compute level passes the self-test for fp32-inference", why, StringComparison.Ordinal);
        Assert.Equal(1, await worker.MetricAsync("labelfree_compute_path_info"));
        await ChildProcesses.WaitUntilAsync(() => Task.FromResult(worker.Output.Contains("The worker will not become ready", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the refusal in the start-up log");
    }
}
