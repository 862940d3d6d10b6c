using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Cli;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Demo;
using LabelFree.Worker.Storage;
using LabelFree.Worker.Tests.EndToEnd;

namespace LabelFree.Worker.Tests.Demo;

/// <summary>
/// The demo's embedded worker when a stack faults (a defect, not a rejection): the demo hears of it at once instead of
/// waiting out its completion timeout. In the shared collection only so that its worker does not run beside other
/// tests' workers and metrics; it needs no service.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class EmbeddedDemoWorkerTests : IDisposable
{
    // Only stops a hang: a few seconds on an idle 2-core machine (worker start, three toy stacks), against the
    // standard demo's 10-minute completion timeout that a missed fault would wait out.
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(2);

    private static readonly string NewerFormat = $"format version {StackManifest.CurrentFormatVersion + 1}";

    private readonly string _folder = TestEnvironment.NewTempFolder("demo-fault");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_stack_that_faults_in_the_worker_ends_the_demo_at_once_with_a_failure_naming_the_stack_and_the_exception()
    {
        var plan = DemoPlan.Quick(seed: 1, iterations: null);
        var stacks = DemoBatch.Simulate(plan, Path.Combine(_folder, "batch"));
        var bundles = DemoPlan.Structures.ToDictionary(
            s => s, s => TinyModels.Save(Path.Combine(_folder, "models"), s, seed: 3), StringComparer.Ordinal);
        var eventsFile = Path.Combine(_folder, "events.jsonl");
        var worker = new EmbeddedDemoWorker(Path.Combine(_folder, "store"), eventsFile);
        const string batchId = "demo-fault";
        const string faulting = "qc-01";

        // A manifest a newer worker wrote where this one would write qc-01's (after a rollback): this worker cannot
        // tell whether the stack is done, so the job throws an InvalidDataException, a defect for the error queue.
        var manifest = worker.PathOf(new PredictionLayout("labelfree", "labelfree").Manifest(batchId, faulting));
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        await File.WriteAllBytesAsync(manifest, ManifestFromANewerWorker(batchId, faulting).ToJsonBytes());

        using var hang = new CancellationTokenSource(HangLimit);
        IReadOnlyList<DemoOutcome> outcomes;
        try
        {
            outcomes = await worker.RunAsync(bundles, stacks, batchId, DemoPlan.Standard(1, null).CompletionTimeout, hang.Token);
        }
        catch (OperationCanceledException) when (hang.IsCancellationRequested)
        {
            Assert.Fail($"the demo was still waiting after {HangLimit} although {faulting} had faulted in the worker");
            throw;
        }

        Assert.Equal(ExitCodes.Failure, DemoVerb.ExitCodeFor(outcomes));
        var outcome = Assert.Single(outcomes, o => o.StackId == faulting);
        Assert.Null(outcome.Predicted);
        var fault = Assert.IsType<DemoFault>(outcome.Fault);
        Assert.Equal((faulting, batchId), (fault.StackId, fault.BatchId));
        Assert.Equal(typeof(InvalidDataException).FullName, fault.ExceptionType);
        Assert.Contains(NewerFormat, fault.Reason, StringComparison.Ordinal);

        // The events file records the fault like the other outcomes.
        var line = Assert.Single(await File.ReadAllLinesAsync(eventsFile), l => l.Contains("exceptionType", StringComparison.Ordinal));
        Assert.Contains($"\"stackId\":\"{faulting}\"", line, StringComparison.Ordinal);
        Assert.Contains(NewerFormat, line, StringComparison.Ordinal);
    }

    private static StackManifest ManifestFromANewerWorker(string batchId, string stackId)
    {
        var shape = new ImageShape { T = 1, C = 2, Z = 16, Y = 32, X = 32 };
        return new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion + 1,
            StackId = stackId,
            BatchId = batchId,
            Modality = Modality.BrightField,
            Input = new ManifestInput(new BlobLocation { Container = "inputs", Name = $"{batchId}/{stackId}.ome.tiff" },
                new string('0', 64), 1, shape with { C = 3 }, null, 0, "bright-field"),
            RequestedTransmittedLightChannel = new ChannelSelector { Index = 0 },
            Output = new ManifestOutput(new BlobLocation { Container = "labelfree", Name = $"predictions/{batchId}/{stackId}/prediction.ome.tiff" },
                new string('0', 64), 1, shape),
            Models = [],
            Channels = [],
            Timings = new StageTimings
            {
                DownloadSeconds = 0, DecodeSeconds = 0, PreprocessSeconds = 0, InferenceSeconds = new Dictionary<string, double>(),
                EncodeSeconds = 0, UploadSeconds = 0, TotalSeconds = 0,
            },
            WorkerHost = "a newer worker",
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
