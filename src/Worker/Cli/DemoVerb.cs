using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LabelFree.Pipeline.Compute;
using LabelFree.Worker.Demo;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree demo [--out DIR] [--iterations N] [--seed S] [--quick]`: the whole product on one machine with
/// nothing installed but .NET. Simulates a small batch, trains a dna and a membrane model on separately simulated
/// fields, runs the worker in this process (embedded mode), submits the batch as StackAcquired messages and prints
/// the completion events. Exit 0 when every stack was predicted; 1 when any was rejected, faulted in the worker (a
/// defect: the demo stops waiting at the first fault and names the stack and the exception) or the wait timed out.
/// </summary>
public static class DemoVerb
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for everything the demo writes (must be empty or absent).",
            DefaultValueFactory = _ => new DirectoryInfo("labelfree-demo"),
        };
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations per model (default 200; --quick: 6)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulated data and the training.", DefaultValueFactory = _ => 1 };
        var quick = new Option<bool>("--quick") { Description = "Toy sizes and a few iterations (seconds, for tests; the models are not good)." };
        var command = new Command("demo",
            "Simulate a batch, train dna and membrane models, run the worker in this process (no broker, local storage), " +
            "submit the batch as StackAcquired messages and print the completion events.")
        {
            output, iterations, seed, quick,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            token => RunAsync(parsed.GetValue(output)!, parsed.GetValue(iterations), parsed.GetValue(seed), parsed.GetValue(quick), token),
            cancellation));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo output, int? iterations, long seed, bool quick, CancellationToken cancellationToken)
    {
        if (iterations is <= 0)
        {
            throw new UsageException("--iterations must be positive.");
        }

        // Never mixes with an earlier run: models, inputs and predictions of two runs would be indistinguishable.
        if (output.Exists && output.EnumerateFileSystemInfos().Any())
        {
            throw new UsageException($"{output.FullName} is not empty: remove it or choose another --out.");
        }

        VerbCompute.Require(Environment.ProcessorCount, ComputePath.Float32Training, ComputePath.Float32Inference);
        var plan = quick ? DemoPlan.Quick(seed, iterations) : DemoPlan.Standard(seed, iterations);
        var folder = output.FullName;
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        using var interrupt = new InterruptSignal(cancellationToken);
        IReadOnlyList<DemoOutcome> outcomes;
        var worker = new EmbeddedDemoWorker(Path.Combine(folder, "store"), Path.Combine(folder, "events.jsonl"));
        try
        {
            var bundles = DemoModels.Train(plan, folder, interrupt.Token);
            var stacks = DemoBatch.Simulate(plan, Path.Combine(folder, "batch"));
            Console.WriteLine($"simulated the batch: {stacks.Count(s => s.IsQualityControl)} stacks with ground truth and a {plan.TimeSeriesFrames}-frame time series");
            var batchId = "demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            outcomes = await worker.RunAsync(bundles, stacks, batchId, plan.CompletionTimeout, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            return ExitCodes.Failure;
        }

        DemoReport.Print(outcomes, worker);
        Console.WriteLine(FormattableString.Invariant($"events: {Path.Combine(folder, "events.jsonl")}; demo took {clock.Elapsed:mm\\:ss}"));
        return ExitCodeFor(outcomes);
    }

    /// <summary>Ok only when every stack was predicted: a rejected, faulted or missing stack is a failure.</summary>
    public static int ExitCodeFor(IReadOnlyList<DemoOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.All(o => o.Predicted is not null) ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
