using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Runs the known-answer test for some paths at one level in a child process (labelfree-compute probe),
/// which starts with exactly the level's variables and with glibc told to recycle freed memory
/// (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_ very large), so the polluted heap is what kernels get.
/// </summary>
public static class ProbeProcess
{
    public const string ProbeAssembly = "labelfree-compute.dll";

    // Exit codes of a process killed by a signal are 128 + the signal: these four are the machine's verdict.
    private static readonly int[] HardwareFaults = [128 + 4, 128 + 7, 128 + 8, 128 + 11];

    public static ProbeResult Run(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings) =>
        Run(level, paths, settings, new Dictionary<string, string>(), out _);

    /// <param name="extraEnvironment">Added to the child's environment (a test's ONEDNN_VERBOSE).</param>
    /// <param name="output">Everything the probe printed, for callers that inspect it (the oneDNN trace).</param>
    internal static ProbeResult Run(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings,
        IReadOnlyDictionary<string, string> extraEnvironment, out string output)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(settings);
        output = "";
        Process? process;
        try
        {
            process = Process.Start(StartInfo(level, paths, settings, extraEnvironment));
        }
        catch (Win32Exception error)
        {
            return Failed(level, paths, settings, $"the probe could not start: {error.Message}", conclusive: false);
        }

        if (process is null)
        {
            return Failed(level, paths, settings, "the probe could not start", conclusive: false);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(settings.ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                output = stdout.Result;
                return Failed(level, paths, settings, $"the probe did not finish within {settings.ProbeTimeout.TotalSeconds:0} s", conclusive: false);
            }

            process.WaitForExit();
            output = stdout.Result;
            if (process.ExitCode != 0)
            {
                var tail = string.Join(" ", stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
                return Failed(level, paths, settings, $"the probe process ended with exit code {process.ExitCode}{(tail.Length > 0 ? ": " + tail : "")}",
                    conclusive: HardwareFaults.Contains(process.ExitCode));
            }

            return Parse(output, level, paths, settings);
        }
    }

    private static ProcessStartInfo StartInfo(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings,
        IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, ProbeAssembly));
        start.ArgumentList.Add("probe");
        foreach (var (name, value) in new[]
                 {
                     ("--level", level.Name),
                     ("--onednn", level.UsesOneDnn ? "on" : "off"),
                     ("--paths", string.Join(',', paths.Select(ComputePaths.Name))),
                     ("--threads", settings.Threads.ToString(CultureInfo.InvariantCulture)),
                 })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }

        foreach (var (path, _) in settings.InjectedFaults.Where(f => f.Level == level.Name))
        {
            start.ArgumentList.Add("--inject-fault");
            start.ArgumentList.Add(ComputePaths.Name(path));
        }

        foreach (var variable in ComputeLevel.VariableNames.Append("ONEDNN_VERBOSE"))
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in level.Environment().Concat(extraEnvironment))
        {
            start.Environment[name] = value;
        }

        start.Environment["MALLOC_MMAP_MAX_"] = "0";
        start.Environment["MALLOC_TRIM_THRESHOLD_"] = "68719476736";
        return start;
    }

    // The last line that is a JSON array, holding one verdict for each requested path at this level and thread count.
    private static ProbeResult Parse(string output, ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('['));
        if (line is null)
        {
            return Failed(level, paths, settings, "the probe printed no verdicts", conclusive: false);
        }

        try
        {
            var verdicts = VerdictJson.Deserialize(line);
            var complete = paths.All(path => verdicts.Count(v => v.Path == path && v.Level == level.Name && v.Threads == settings.Threads) == 1);
            return complete
                ? new ProbeResult(paths.Select(path => verdicts.Single(v => v.Path == path)).ToList(), Conclusive: true)
                : Failed(level, paths, settings, "the probe's verdicts do not answer the paths, level and threads asked for", conclusive: false);
        }
        catch (JsonException error)
        {
            return Failed(level, paths, settings, $"the probe printed unreadable verdicts ({error.Message})", conclusive: false);
        }
    }

    private static ProbeResult Failed(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings, string reason, bool conclusive) =>
        new(paths.Select(path => new PathVerdict(path, level.Name, settings.Threads, false, double.NaN, KnownAnswerTest.Tolerance(path), 1, 0, reason)).ToList(),
            conclusive);
}
