using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Runs python/tiff_crosscheck.py with Debian's /usr/bin/python3 and tifffile, the reference reader and writer our
/// TIFF code is checked against. Missing python or tifffile skips the test outside CI and fails it under CI.
/// </summary>
internal static class PythonTiff
{
    public static string ScriptPath => Path.Combine(
        TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Imaging", "python", "tiff_crosscheck.py");

    /// <summary>Skips (or, under CI, fails) the calling test when python with tifffile is not available.</summary>
    public static void RequireAvailable() => DebianPython.RequireModules(["numpy", "tifffile"], "python3-numpy python3-tifffile");

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

    private static string RunScript(string[] arguments)
    {
        RequireAvailable();
        return DebianPython.RunScript(ScriptPath, arguments);
    }
}
