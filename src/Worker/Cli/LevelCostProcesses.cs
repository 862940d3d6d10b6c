using System.Diagnostics;
using System.Text.Json;
using LabelFree.Compute;
using LabelFree.Pipeline.Benchmarks;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Runs `labelfree bench level` once per compute level this CPU has whose fp32 paths pass the self-test,
/// each in a fresh process started at that level (LABELFREE_COMPUTE_LEVEL), since a process cannot change
/// its level once libtorch has run.
/// </summary>
internal static class LevelCostProcesses
{
    private static readonly ComputePath[] Float32 = [ComputePath.Float32Inference, ComputePath.Float32Training];

    public static IReadOnlyList<LevelCost> Measure(IReadOnlyList<string> arguments, IProgress<string> progress, CancellationToken cancellation)
    {
        var settings = ComputeSettings.FromEnvironment();
        var costs = new List<LevelCost>();
        foreach (var level in ComputeLevel.Candidates)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!LevelSelection.Verify(level, Float32, settings, fresh: false).All(v => v.Passed))
            {
                progress.Report($"level {level.Name}: not measured (not on this CPU, or its fp32 self-test failed)");
                continue;
            }

            progress.Report($"level {level.Name}: fp32 forward and a training step, in a process of its own");
            costs.Add(Run(level, arguments));
        }

        return costs;
    }

    private static LevelCost Run(ComputeLevel level, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labelfree.dll"));
        }

        foreach (var argument in (string[])["bench", "level", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ComputeSettings.LevelVariable] = level.Name;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bench level did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var line = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"bench level at {level.Name} failed (exit {process.ExitCode}): {error.Result.Trim()}");
        }

        return JsonSerializer.Deserialize<LevelCost>(line, CliJson.Options) ?? throw new InvalidOperationException($"bench level at {level.Name} printed no result.");
    }
}
