using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using LabelFree.Compute;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree selftest`: the known-answer test of every compute path at every compute level, each level
/// in a fresh child process on a polluted heap; a table of verdicts (pass/fail, max error, time), the level
/// each kind of work would run at, and the refreshed verdict cache. Exit 1 when some work has no level.
/// </summary>
public static class SelfTestVerb
{
    /// <summary>The path sets the verbs ask for, with who asks.</summary>
    private static readonly (string Work, ComputePath[] Paths)[] Work =
    [
        ("prediction (predict, evaluate, register, serve)", [ComputePath.Float32Inference]),
        ("training (train, demo)", [ComputePath.Float32Training, ComputePath.Float32Inference]),
        ("bfloat16 prediction (--precision bfloat16)", [ComputePath.BFloat16Inference]),
    ];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the verdicts as JSON instead of a table." };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads to verify at (verdicts are kept per thread count: check the count your verbs and worker use).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("selftest",
            "Check every compute path (fp32 inference, fp32 training step, bf16 inference) against known answers at every " +
            "compute level this CPU has, each in a fresh process on a polluted heap, and show the level each kind of work runs at. " +
            $"Verdicts are cached in {ComputeSettings.CacheVariable} (default ~/.cache/labelfree/compute); {ComputeSettings.LevelVariable} forces a level.")
        {
            json, threads,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() => Run(parsed.GetValue(json), parsed.GetValue(threads)), cancellation));
        return command;
    }

    private static int Run(bool json, int threads)
    {
        if (threads < 1)
        {
            throw new UsageException($"--threads must be at least 1, not {threads}.");
        }

        var settings = ComputeSettings.FromEnvironment() with { Threads = threads };
        var levels = LevelSelection.Levels(settings);
        var verdicts = new List<PathVerdict>();
        foreach (var level in levels)
        {
            if (!json)
            {
                Console.Error.WriteLine($"testing level {level.Name} ({level.Description})...");
            }

            verdicts.AddRange(LevelSelection.Verify(level, ComputePaths.All, settings, fresh: true));
        }

        var chosen = Work.Select(work => (work.Work, work.Paths, Level: LevelSelection.FirstPassing(levels, work.Paths, verdicts))).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                Cpu = CpuDescription.Current.Model,
                settings.Threads,
                LibTorch = typeof(KnownAnswers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorch")?.Value,
                Levels = levels.Select(l => new { l.Name, l.Description, Available = l.IsAvailableOn(CpuDescription.Current) }),
                Verdicts = verdicts.Select(v => new
                {
                    Path = ComputePaths.Name(v.Path), v.Level, v.Passed, Tested = v.WasRun, MaxError = Finite(v.MaxError), Tolerance = Finite(v.Tolerance),
                    v.Repetitions, v.Seconds, v.Failure,
                }),
                Chosen = chosen.Select(c => new { c.Work, Paths = c.Paths.Select(ComputePaths.Name), Level = c.Level?.Name }),
            }, CliJson.Options));
        }
        else
        {
            Console.Write(Table(levels, verdicts, settings));
            Console.WriteLine();
            Console.WriteLine("Level each kind of work runs at (the fastest that passes all its paths):");
            foreach (var (work, paths, level) in chosen)
            {
                Console.WriteLine($"  {work}: {level?.Name ?? "REFUSED: no level passes " + string.Join(" + ", paths.Select(ComputePaths.Name))}");
            }

            foreach (var failure in verdicts.Where(v => v.WasRun && !v.Passed))
            {
                Console.WriteLine($"  failed: {ComputePaths.Name(failure.Path)} at {failure.Level}: {failure.Failure}");
            }
        }

        return chosen.All(c => c.Level is not null) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Table(IReadOnlyList<ComputeLevel> levels, List<PathVerdict> verdicts, ComputeSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Compute self-test on {CpuDescription.Current.Model}, {settings.Threads} threads.");
        text.AppendLine("Each cell: verdict, largest error against the known answers (tolerance in brackets), time of all repetitions;");
        text.AppendLine("every repetition starts from fresh weights on a heap filled with freed NaN memory.");
        const int first = 16;
        const int width = 30;
        text.Append("path".PadRight(first));
        foreach (var level in levels)
        {
            text.Append(level.Name.PadRight(width));
        }

        text.AppendLine();
        foreach (var path in ComputePaths.All)
        {
            text.Append(ComputePaths.Name(path).PadRight(first));
            foreach (var level in levels)
            {
                var verdict = verdicts.First(v => v.Path == path && v.Level == level.Name);
                text.Append(Cell(verdict).PadRight(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Cell(PathVerdict verdict) => !verdict.WasRun
        ? "not on this CPU"
        : string.Create(CultureInfo.InvariantCulture,
            $"{(verdict.Passed ? "pass" : "FAIL")} {verdict.MaxError:0.0e+00} ({verdict.Tolerance:G2}) {verdict.Seconds:0.0}s");

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
