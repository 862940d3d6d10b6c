using System.Text.Json.Nodes;
using System.Threading.Channels;
using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.EndToEnd;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The dashboard against a real scrape: an embedded worker predicts a stack with ground truth, rejects
/// one and fails one, and then its /metrics serves every worker series the dashboard queries, in a form
/// promtool accepts.
/// </summary>
/// <remarks>In the workers' collection: the worker meter is process-wide, and workers compete for the cores.</remarks>
[Collection(WorkerServicesCollection.Name)]
public class DashboardScrapeTests
{
    private static readonly string DashboardPath = Path.Combine(TestEnvironment.RepositoryRoot, "dashboards", "labelfree-worker.json");

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan SettlePatience = TimeSpan.FromSeconds(10);

    // Series that only a transient fault creates, and embedded mode (in-memory bus, local folder) has none:
    // nothing there is retried. They are still checked to be real series (DashboardTests, WorkerSeries).
    private static readonly Dictionary<string, string> OnlyAfterTransientFaults = new(StringComparer.Ordinal)
    {
        ["messaging_masstransit_consume_retries_ea_total"] = "MassTransit counts a retry only when one happens (transient faults only)",
        ["labelfree_storage_retries_total"] = "only the Azure Blob store retries, labelled by its operation",
    };

    [SkippableFact]
    public async Task A_worker_that_predicted_rejected_and_failed_stacks_serves_every_series_the_dashboard_queries()
    {
        var dashboard = DashboardQueries.MetricNames(DashboardPath).Worker;
        var root = TestEnvironment.NewTempFolder("labelfree-scrape");
        try
        {
            var models = Path.Combine(root, "labelfree", "models", "dna", "v1");
            Directory.CreateDirectory(Path.GetDirectoryName(models)!);
            Directory.Move(TinyModels.Save(root, "dna", seed: 3), models);
            Directory.CreateDirectory(Path.Combine(root, "inputs"));
            await File.WriteAllBytesAsync(Path.Combine(root, "inputs", "good.ome.tiff"), TestStacks.OmeTiff());
            await File.WriteAllTextAsync(Path.Combine(root, "inputs", "notes.ome.tiff"), "plate 3, well B4: focus drifted\n");
            var worker = WorkerHost.Build([], new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = "dna",
                ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
                ["LabelFree:Prediction:CpuThreads"] = "2",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "None",
            });
            await using (worker)
            {
                await worker.StartAsync();
                using var deadline = new CancellationTokenSource(Patience);
                using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.Single()), Timeout = TimeSpan.FromSeconds(10) };
                var outcomes = await OutcomesAsync(worker);

                // Before any stack: the outcome counters are there at 0, so the first stack counts in rate() and increase().
                var fresh = await ScrapeAsync(http);
                Assert.Equal(0, fresh.Value("labelfree_stacks_predicted_total"));
                Assert.Equal(0, fresh.Value("labelfree_stacks_registered_total", "outcome=\"converged\""));
                Assert.Equal(0, fresh.Value("labelfree_stacks_registered_total", "outcome=\"not_converged\""));
                Assert.Equal(0, fresh.Value("labelfree_stacks_failed_total", "reason=\"defect\""));
                Assert.Equal(0, fresh.Value("labelfree_stacks_failed_total", "reason=\"non_finite_prediction\""));
                Assert.Equal(0, fresh.Value("labelfree_stacks_rejected_total", "reason=\"NotATiff\""));
                Assert.Equal(0, fresh.Value("labelfree_stacks_in_flight"));

                var bus = worker.Services.GetRequiredService<IBus>();
                await bus.Publish(Stack("good", "good.ome.tiff", groundTruth: true));
                var predicted = await outcomes.Predicted.Reader.ReadAsync(deadline.Token);
                Assert.NotNull(Assert.Single(predicted.Channels).PearsonR);

                // A manifest a newer worker wrote (format version 2) where this worker would write: after a rollback
                // this worker cannot tell whether the stack is done, a defect for the error queue, not bad input.
                await WriteManifestFromNewerWorkerAsync(root, predicted, "newer");
                await bus.Publish(Stack("newer", "good.ome.tiff", groundTruth: false));
                await bus.Publish(Stack("notes", "notes.ome.tiff", groundTruth: false));
                var rejected = await outcomes.Rejected.Reader.ReadAsync(deadline.Token);
                var fault = await outcomes.Faults.Reader.ReadAsync(deadline.Token);
                Assert.Equal(("notes", RejectionReason.NotATiff), (rejected.StackId, rejected.Reason));
                Assert.Equal("newer", fault.Message.StackId);
                Assert.Contains("format version", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);

                // MassTransit records its consume metrics as the message settles, after the outcome is published.
                var expected = dashboard.Except(OnlyAfterTransientFaults.Keys).ToList();
                var scrape = await ScrapeAsync(http);
                try
                {
                    await ChildProcesses.WaitUntilAsync(
                        async () => !expected.Except((scrape = await ScrapeAsync(http)).Names).Any(), SettlePatience, "the consume metrics");
                }
                catch (TimeoutException)
                {
                    // The assertion below names what is still missing.
                }

                // MassTransit creates its instruments once per process, from the first bus's meter factory; when an
                // earlier test host in this process owned (and disposed) that meter, this host exports no MassTransit
                // series at all. A worker process has one bus, so there they are always present; here they are
                // required whenever MassTransit exports anything to this host.
                if (!scrape.Names.Any(n => n.StartsWith("messaging_masstransit_", StringComparison.Ordinal)))
                {
                    expected = expected.Where(n => !n.StartsWith("messaging_masstransit_", StringComparison.Ordinal)).ToList();
                }

                var missing = expected.Except(scrape.Names).Order(StringComparer.Ordinal).ToList();
                Assert.True(missing.Count == 0, "the dashboard queries series this worker's scrape lacks: " + string.Join(", ", missing));
                Assert.Equal(1, scrape.Value("labelfree_stacks_predicted_total"));
                Assert.Equal(1, scrape.Value("labelfree_stacks_rejected_total", "reason=\"NotATiff\""));
                Assert.Equal(1, scrape.Value("labelfree_stacks_failed_total", "reason=\"defect\""));
                Assert.Equal(1, scrape.Value("labelfree_pearson_r_count", "structure=\"dna\""));
                Assert.Equal(0, scrape.Value("labelfree_stacks_in_flight"));
                Assert.All(OnlyAfterTransientFaults.Keys, name => Assert.Contains(name, WorkerSeries.Names));

                var (exitCode, output) = Promtool.CheckMetrics(scrape.Text);
                var ours = output.Split('\n').Where(line => line.Contains("labelfree_", StringComparison.Ordinal)).ToList();
                Assert.True(exitCode == 0 || exitCode == Promtool.LintProblemsExitCode, $"promtool could not read the scrape (exit {exitCode}):\n{output}");
                Assert.True(ours.Count == 0, "promtool complains about the worker's own series:\n" + string.Join('\n', ours));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<MetricsScrape> ScrapeAsync(HttpClient http) =>
        MetricsScrape.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static StackAcquired Stack(string stackId, string input, bool groundTruth) => new()
    {
        StackId = stackId,
        BatchId = "b1",
        Input = new BlobLocation { Container = "inputs", Name = input },
        Modality = Modality.BrightField,
        TransmittedLightChannel = new ChannelSelector { Name = "bright-field" },
        GroundTruthChannels = groundTruth ? new Dictionary<string, ChannelSelector> { ["dna"] = new() { Name = "dna" } } : null,
    };

    // The predicted stack's own manifest, as a worker of the next format version would have written it for another stack.
    private static async Task WriteManifestFromNewerWorkerAsync(string root, StackPredicted predicted, string stackId)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "labelfree", predicted.Manifest.Name)))!;
        manifest["formatVersion"] = StackManifest.CurrentFormatVersion + 1;
        manifest["stackId"] = stackId;
        var folder = Path.Combine(root, "labelfree", "predictions", "b1", stackId);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
    }

    private static async Task<StackOutcomes> OutcomesAsync(WebApplication worker)
    {
        var outcomes = new StackOutcomes();
        var subscription = worker.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("scrape-test-events", endpoint =>
        {
            endpoint.Handler<StackPredicted>(context => outcomes.Predicted.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<StackRejected>(context => outcomes.Rejected.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<Fault<StackAcquired>>(context => outcomes.Faults.Writer.WriteAsync(context.Message).AsTask());
        });
        await subscription.Ready;
        return outcomes;
    }

    private sealed class StackOutcomes
    {
        public Channel<StackPredicted> Predicted { get; } = Channel.CreateUnbounded<StackPredicted>();

        public Channel<StackRejected> Rejected { get; } = Channel.CreateUnbounded<StackRejected>();

        public Channel<Fault<StackAcquired>> Faults { get; } = Channel.CreateUnbounded<Fault<StackAcquired>>();
    }
}
