using System.Diagnostics;
using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Runs python/tiff_crosscheck.py with Debian's /usr/bin/python3 and tifffile, the reference reader and writer our
/// TIFF code is checked against. Missing python or tifffile skips the test outside CI and fails it under CI.
/// </summary>
internal static class PythonTiff
{
    private const string Python = "/usr/bin/python3";
    private const int TimeoutMilliseconds = 120_000;

    private static readonly Lazy<string?> WhyUnavailable = new(FindProblem);

    public static string ScriptPath => Path.Combine(
        TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Imaging", "python", "tiff_crosscheck.py");

    /// <summary>Skips (or, under CI, fails) the calling test when python with tifffile is not available.</summary>
    public static void RequireAvailable()
    {
        if (WhyUnavailable.Value is { } why)
        {
            if (TestEnvironment.IsCi)
            {
                throw new InvalidOperationException("CI=true but " + why);
            }

            throw new SkipException(why);
        }
    }

    /// <summary>tifffile's view of each file, in order.</summary>
    public static IReadOnlyList<JsonElement> Describe(params string[] paths)
    {
        using var document = JsonDocument.Parse(RunScript(["describe", .. paths]));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>Writes the tifffile fixtures into <paramref name="folder"/>; returns the manifest by fixture name.</summary>
    public static IReadOnlyDictionary<string, JsonElement> WriteFixtures(string folder)
    {
        using var document = JsonDocument.Parse(RunScript(["write", folder]));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static string RunScript(IReadOnlyList<string> arguments)
    {
        RequireAvailable();
        var (exitCode, output, error) = Run([ScriptPath, .. arguments]);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"tiff_crosscheck.py {arguments[0]} failed with exit code {exitCode}: {error}");
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (apt-get install python3-numpy python3-tifffile).";
        }

        if (!File.Exists(ScriptPath))
        {
            return $"The cross-check script {ScriptPath} is missing.";
        }

        var (exitCode, _, error) = Run(["-c", "import numpy, tifffile"]);
        return exitCode == 0 ? null : $"{Python} cannot import numpy and tifffile (apt-get install python3-numpy python3-tifffile): {error.Trim()}";
    }

    private static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(' ', arguments)} did not finish within {TimeoutMilliseconds / 1000} s.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
