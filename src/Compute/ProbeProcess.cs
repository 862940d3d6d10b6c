using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Runs the known-answer test for some paths at one level in a child process (labelfree-compute probe),
/// which starts with the level's environment and with glibc told to recycle freed memory
/// (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_ very large), so the polluted heap is what kernels get. A
/// probe that crashes (an illegal instruction, a segfault) or hangs fails every path it ran.
/// </summary>
public static class ProbeProcess
{
    public const string ProbeAssembly = "labelfree-compute.dll";

    /// <summary>Variables that set a level; the child gets only those of the level it tests.</summary>
    private static readonly string[] LevelVariables = ["ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY", "DNNL_MAX_CPU_ISA", "ONEDNN_VERBOSE"];

    public static IReadOnlyList<PathVerdict> Run(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings,
        IReadOnlyDictionary<string, string>? extraEnvironment = null) =>
        Run(level, paths, settings, extraEnvironment, out _);

    /// <param name="output">Everything the probe printed, for callers that inspect it (the oneDNN verbose trace).</param>
    public static IReadOnlyList<PathVerdict> Run(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings,
        IReadOnlyDictionary<string, string>? extraEnvironment, out string output)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, ProbeAssembly));
        start.ArgumentList.Add("probe");
        start.ArgumentList.Add("--level");
        start.ArgumentList.Add(level.Name);
        start.ArgumentList.Add("--paths");
        start.ArgumentList.Add(string.Join(',', paths.Select(ComputePaths.Name)));
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(settings.Threads.ToString(CultureInfo.InvariantCulture));
        foreach (var (path, faultLevel) in settings.InjectedFaults.Where(f => f.Level == level.Name))
        {
            start.ArgumentList.Add("--inject-fault");
            start.ArgumentList.Add(ComputePaths.Name(path));
        }

        foreach (var variable in LevelVariables)
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in level.Environment().Concat(extraEnvironment ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        start.Environment["MALLOC_MMAP_MAX_"] = "0";
        start.Environment["MALLOC_TRIM_THRESHOLD_"] = "68719476736";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(settings.ProbeTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            output = stdout.Result;
            return Failed(level, paths, $"the probe did not finish within {settings.ProbeTimeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        output = stdout.Result;
        var result = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(line => line.StartsWith('['));
        if (process.ExitCode != 0 || result is null)
        {
            var tail = string.Join(" ", stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return Failed(level, paths, $"the probe process ended with exit code {process.ExitCode}{(tail.Length > 0 ? ": " + tail : "")}");
        }

        try
        {
            return VerdictJson.Deserialize(result);
        }
        catch (JsonException error)
        {
            return Failed(level, paths, $"the probe printed no verdicts ({error.Message})");
        }
    }

    private static List<PathVerdict> Failed(ComputeLevel level, IReadOnlyList<ComputePath> paths, string reason) =>
        paths.Select(path => new PathVerdict(path, level.Name, false, double.NaN, KnownAnswerTest.Tolerance(path), 1, 0, reason)).ToList();

    // `dotnet labelfree.dll` runs under the dotnet host; an apphost or a test runner may not, then the SDK's
    // DOTNET_HOST_PATH or dotnet on PATH serves.
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
