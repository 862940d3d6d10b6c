using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LabelFree.Compute;
using LabelFree.Pipeline.Benchmarks;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Measures the fp32 GEMM with MKL's vendor check bypassed, in a process of its own: `labelfree bench gemm`
/// started with LD_PRELOAD of a one-function library whose mkl_serv_intel_cpu_true returns 1 (MKL's
/// exported check, interposed before libtorch_cpu's own copy), and MKL_DEBUG_CPU_TYPE=5, which MKL up to
/// 2020.0 honoured. The library is compiled here with the system's C compiler; without one nothing is
/// measured and the note says so. A benchmark's reference only: the product never runs with it.
/// </summary>
internal static class MklBypassGemmProcess
{
    private const string ShimSource = "int mkl_serv_intel_cpu_true(void) { return 1; }\n";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static (GemmMeasurement? Gemm, string Note) Measure(IReadOnlyList<int> sizes, int threads, CancellationToken cancellation)
    {
        var folder = Directory.CreateTempSubdirectory("labelfree-mkl-bypass-");
        try
        {
            var source = Path.Combine(folder.FullName, "intel_cpu_true.c");
            var library = Path.Combine(folder.FullName, "libintel_cpu_true.so");
            File.WriteAllText(source, ShimSource);
            var compiled = Run("cc", ["-shared", "-fPIC", "-O2", "-o", library, source], null, TimeSpan.FromMinutes(1), cancellation);
            if (compiled is not { ExitCode: 0 })
            {
                return (null, "not measured: no C compiler (cc) to build the one-function library that bypasses MKL's vendor check" +
                    (compiled is null ? "" : $" (cc failed: {compiled.Value.Error.Trim()})"));
            }

            string[] arguments = [Path.Combine(AppContext.BaseDirectory, "labelfree.dll"), "bench", "gemm", "--threads", threads.ToString(CultureInfo.InvariantCulture),
                "--sizes", string.Join(",", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)))];
            var environment = new Dictionary<string, string> { ["LD_PRELOAD"] = library, ["MKL_DEBUG_CPU_TYPE"] = "5" };
            var measured = Run(DotnetHost.Path, arguments, environment, Limit, cancellation);
            var line = measured?.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (measured is not { ExitCode: 0 } || line is null)
            {
                return (null, $"not measured: bench gemm with the bypass failed: {measured?.Error.Trim()}");
            }

            var gemm = JsonSerializer.Deserialize<GemmMeasurement>(line, CliJson.Options);
            return (gemm, "MKL GEMM in a process of its own with mkl_serv_intel_cpu_true preloaded to return 1 (and MKL_DEBUG_CPU_TYPE=5)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error)? Run(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment,
        TimeSpan limit, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        using (cancellation.Register(() => process.Kill(entireProcessTree: true)))
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"did not finish within {limit.TotalMinutes:0} minutes");
            }

            process.WaitForExit();
            cancellation.ThrowIfCancellationRequested();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
