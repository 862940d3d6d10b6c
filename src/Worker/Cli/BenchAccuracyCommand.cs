using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LabelFree.Benchmarks.Accuracy;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Worker.Cli;

/// <summary>
/// <c>labelfree bench accuracy</c>: trains the paper's recipe and LabelFree's on real microscope pairs under the
/// same compute budget (<see cref="AccuracyBenchmark"/>) and prints the test Pearson r of each at several times,
/// over the seeds, with the acceptance verdicts of issue 10. Without the real data it says so and does nothing.
/// </summary>
public static class BenchAccuracyCommand
{
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "Compute budget of each training run (CPU minutes per thread).", DefaultValueFactory = _ => 10 };
        var seeds = new Option<string[]>("--seeds") { Description = "Seeds, e.g. 0,1,2.", CustomParser = CliValues.List, DefaultValueFactory = _ => ["0", "1", "2"] };
        var task = new Option<string?>("--task") { Description = "Run only the tasks whose name contains this text (cohenlab, sephace, allen)." };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Folder for crops, runs and bundles (default: a new temporary folder, kept). Running again with the same folder resumes interrupted runs and reuses finished ones." };
        var threads = new Option<int>("--threads") { Description = "Training and prediction threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var realData = new Option<DirectoryInfo>("--real-data") { Description = RealDataFolder.Description };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (every run included)." };
        var command = new Command("accuracy",
            "Train the paper's recipe and LabelFree's on real pairs under one compute budget; test Pearson r over time and seeds.")
        {
            minutes, seeds, task, work, threads, realData, json,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var folder = RealDataFolder.Locate(parsed.GetValue(realData));
            if (folder is null)
            {
                Console.Error.WriteLine($"skipped: no real-data folder at {RealDataFolder.DefaultPath} (give --real-data or set LABELFREE_REAL_DATA); the benchmark trains on real pairs only.");
                return ExitCodes.Ok;
            }

            var options = new AccuracyBenchmarkOptions
            {
                RealDataFolder = folder,
                WorkFolder = parsed.GetValue(work)?.FullName ?? Directory.CreateTempSubdirectory("labelfree-accuracy-").FullName,
                Minutes = parsed.GetValue(minutes) is > 0 and var m ? m : throw new UsageException("--minutes must be positive."),
                Seeds = parsed.GetValue(seeds)!.Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--seeds: '{s}' is not an integer.")).ToArray(),
                Threads = parsed.GetValue(threads),
                TaskFilter = parsed.GetValue(task),
            };
            VerbCompute.Require(options.Threads, ComputePath.Float32Training, ComputePath.Float32Inference);
            Console.Error.WriteLine($"runs in {options.WorkFolder}");
            var report = AccuracyBenchmark.Run(options, run => Console.Error.WriteLine(FormattableString.Invariant(
                $"{run.Task} / {run.Recipe} / seed {run.Seed}: r {string.Join(" ", run.TestR.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))} at {string.Join(" ", run.Minutes.Select(t => t.ToString("0.#", CultureInfo.InvariantCulture)))} min; {run.Iterations} iterations, kept {run.SelectedIteration}; TTA r {run.TestRWithAugmentation:0.000}")), cancellation);
            Console.WriteLine(parsed.GetValue(json) ? JsonSerializer.Serialize(report, CliJson.Options) : Table(report));
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    private static string Table(AccuracyReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(FormattableString.Invariant($"test Pearson r, median [lowest-highest] over seeds {string.Join(",", report.Seeds)}; budget {report.Minutes:0.##} compute minutes per run"));
        foreach (var task in report.Tasks)
        {
            text.AppendLine();
            text.AppendLine(task.Task);
            text.AppendLine("  minutes:    " + string.Join("  ", task.Paper.Minutes.Select(m => FormattableString.Invariant($"{m,17:0.##}"))));
            text.AppendLine("  paper:      " + Cells(task.Paper));
            text.AppendLine("  labelfree:  " + Cells(task.Improved));
            text.AppendLine(FormattableString.Invariant(
                $"  gain {task.Gain:+0.000;-0.000}; labelfree second half {task.Improved.SecondHalfChange:+0.000;-0.000}; test-time augmentation {task.Improved.AugmentationGain:+0.000;-0.000} r for {task.Improved.AugmentationCost:0.0}x the prediction time"));
        }

        text.AppendLine();
        text.AppendLine($"labelfree beats the paper on every task: {Verdict(report.ImprovedBeatsPaperOnEveryTask)}");
        text.AppendLine(FormattableString.Invariant($"tasks gaining >= {AccuracyReport.ClearGain} in median r: {report.TasksImprovedByAtLeast005} (target >= 2): {Verdict(report.TasksImprovedByAtLeast005 >= 2)}"));
        text.AppendLine($"labelfree's median r never falls in the second half of the budget: {Verdict(report.ImprovedNeverFallsInSecondHalf)}");
        return text.ToString();
    }

    private static string Cells(AccuracyRecipeSummary summary) => string.Join("  ", Enumerable.Range(0, summary.Minutes.Count).Select(i =>
        FormattableString.Invariant($"{summary.MedianR[i],5:0.000} [{summary.LowestR[i]:0.000}-{summary.HighestR[i]:0.000}]")));

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
