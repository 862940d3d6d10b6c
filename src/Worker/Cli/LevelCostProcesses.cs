using System.Diagnostics;
using System.Text.Json;
using LabelFree.Compute;
using LabelFree.Benchmarks;
using LabelFree.Pipeline.Compute;
using LabelFree.Worker.Hosting;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Runs `labelfree bench level` once per compute level this CPU has whose fp32 paths pass the self-test,
/// each in a fresh process started at that level (LABELFREE_COMPUTE_LEVEL), since a process cannot change
/// its level once libtorch has run.
/// </summary>
internal static class LevelCostProcesses
{
    /// <summary>A level's forward and training step take minutes at the paper's sizes; an hour means it hangs.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);

    private static readonly ComputePath[] Float32 = [ComputePath.Float32Inference, ComputePath.Float32Training];

    public static IReadOnlyList<LevelCost> Measure(int threads, IReadOnlyList<string> arguments, IProgress<string> progress, CancellationToken cancellation)
    {
        var settings = ComputeSettings.FromEnvironment() with { Threads = threads };
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
            // This process keeps the memory its own cases freed (TCMALLOC_RELEASE_RATE=0); the child needs it.
            FreedMemory.Release();
            try
            {
                costs.Add(Run(level, arguments, cancellation));
            }
            catch (LevelProcessException failed)
            {
                // One level's process failing (a slow level that runs out of memory, say) must not lose the others' figures.
                progress.Report($"level {level.Name}: {failed.Message}");
                costs.Add(LevelCost.Failed(level.Name, failed.Message));
            }
        }

        return costs;
    }

    private static LevelCost Run(ComputeLevel level, IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "labelfree.dll"), "bench", "level", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ComputeSettings.LevelVariable] = level.Name;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bench level did not start.");
        using var stop = cancellation.Register(() => process.Kill(entireProcessTree: true));
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new LevelProcessException($"did not finish within {Limit.TotalMinutes:0} minutes.");
        }

        process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        var line = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode == 137)
        {
            throw new LevelProcessException("its process was killed (SIGKILL, exit 137: most often the kernel's out-of-memory killer; see dmesg).");
        }

        if (process.ExitCode != 0 || line is null)
        {
            throw new LevelProcessException($"its process failed (exit {process.ExitCode}): {error.Result.Trim()}");
        }

        return JsonSerializer.Deserialize<LevelCost>(line, CliJson.Options) ?? throw new LevelProcessException("its process printed no result.");
    }
}
