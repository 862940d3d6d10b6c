using System.Collections.Concurrent;
using System.Diagnostics;

namespace LabelFree.Pipeline.Tests.TestSupport;

/// <summary>
/// Runs Debian's /usr/bin/python3 (the one with Debian's python3-* packages; `python3` on PATH may be another)
/// as an independent reader of what LabelFree writes. A missing interpreter or module skips the test outside CI
/// and fails it under CI, naming the Debian package to install.
/// </summary>
public static class DebianPython
{
    public const string Interpreter = "/usr/bin/python3";
    private const int TimeoutMilliseconds = 300_000;

    private static readonly ConcurrentDictionary<string, string?> Problems = new(StringComparer.Ordinal);

    /// <summary>Skips (or, under CI, fails) the calling test unless every module imports.</summary>
    /// <param name="modules">Python module names, e.g. "zarr".</param>
    /// <param name="packages">The Debian packages that provide them, for the message.</param>
    public static void RequireModules(IReadOnlyList<string> modules, string packages)
    {
        var problem = Problems.GetOrAdd(string.Join(",", modules), _ => FindProblem(modules, packages));
        if (problem is null)
        {
            return;
        }

        if (TestEnvironment.IsCi)
        {
            throw new InvalidOperationException("CI=true but " + problem);
        }

        throw new SkipException(problem);
    }

    /// <summary>Runs a script; returns its standard output, or throws with its standard error when it fails.</summary>
    public static string RunScript(string script, params string[] arguments)
    {
        var (exitCode, output, error) = Run([script, .. arguments]);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{Path.GetFileName(script)} {string.Join(' ', arguments)} failed with exit code {exitCode}: {error}");
    }

    public static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Interpreter} {string.Join(' ', arguments)} did not finish within {TimeoutMilliseconds / 1000} s.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static string? FindProblem(IReadOnlyList<string> modules, string packages)
    {
        if (!File.Exists(Interpreter))
        {
            return $"{Interpreter} is not installed (apt-get install {packages}).";
        }

        var (exitCode, _, error) = Run(["-c", $"import {string.Join(", ", modules)}"]);
        return exitCode == 0 ? null : $"{Interpreter} cannot import {string.Join(", ", modules)} (apt-get install {packages}): {error.Trim()}";
    }
}
