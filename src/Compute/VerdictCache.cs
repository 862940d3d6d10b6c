using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Verdicts already measured on this machine, so a process verifies its paths once, not at every start.
/// One file per key: the CPU (model, microcode, flags), the kernel, the libtorch and TorchSharp builds,
/// this build of the self-test, network and probe code, the known answers, and the inherited settings that
/// change what the kernels do (allocator preloads, oneDNN/MKL/OpenMP variables); anything else and the
/// verdicts are measured again. The cache belongs to one node: a shared volume could carry a pass from a
/// healthy machine to an affected one of the same model. Written through a temporary file and a rename, so
/// parallel processes never read half a file (one of two simultaneous stores may be lost: it is measured again).
/// </summary>
public sealed class VerdictCache(string directory)
{
    private static readonly string[] InfluentialPrefixes = ["ONEDNN_", "DNNL_", "MKL_", "KMP_", "OMP_", "GOMP_", "LD_PRELOAD"];

    public string Directory { get; } = directory;

    /// <summary>The file name (without folder) for verdicts measured at this thread count in this process's environment.</summary>
    public static string Key(int threads) => Key(threads, Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(entry => (string)entry.Key, entry => entry.Value as string ?? "", StringComparer.Ordinal));

    /// <summary>The key for a process with these environment variables (one started with other settings than this one).</summary>
    public static string Key(int threads, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var pipeline = typeof(KnownAnswers).Assembly;
        var identity = string.Join('|',
            typeof(TorchSharp.torch).Assembly.GetName().Version,
            pipeline.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorch")?.Value ?? "libtorch ?",
            pipeline.ManifestModule.ModuleVersionId,
            typeof(VerdictCache).Assembly.ManifestModule.ModuleVersionId,
            KnownAnswers.Sha256,
            RuntimeInformation.OSDescription,
            InfluentialSettings(environment),
            threads);
        return CpuDescription.Current.Key + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    public string FileFor(string key) => Path.Combine(Directory, key + ".json");

    /// <summary>The cached verdicts under this key; empty when there are none or the file is unreadable.</summary>
    public IReadOnlyList<PathVerdict> Read(string key)
    {
        var file = FileFor(key);
        if (!File.Exists(file))
        {
            return [];
        }

        try
        {
            return VerdictJson.Deserialize(File.ReadAllText(file));
        }
        catch (Exception error) when (error is JsonException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Adds or replaces these verdicts (by path and level). A cache that cannot be written is skipped: it only saves time.</summary>
    public void Store(string key, IReadOnlyList<PathVerdict> verdicts)
    {
        var file = FileFor(key);
        var temporary = $"{file}.{Environment.ProcessId}.partial";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var merged = Read(key).Where(old => !verdicts.Any(v => v.Path == old.Path && v.Level == old.Level)).Concat(verdicts).ToList();
            File.WriteAllText(temporary, VerdictJson.Serialize(merged));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Read-only or full: the next process measures again.
            Discard(temporary);
        }
    }

    private static void Discard(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: a stray .partial file is ignored by readers.
        }
    }

    // The level variables are left out: the probe sets those itself, per level.
    private static string InfluentialSettings(IReadOnlyDictionary<string, string> environment) =>
        string.Join(';', environment
            .Select(entry => (Name: entry.Key, Value: entry.Value))
            .Where(variable => InfluentialPrefixes.Any(prefix => variable.Name.StartsWith(prefix, StringComparison.Ordinal))
                               && !ComputeLevel.VariableNames.Contains(variable.Name) && variable.Name != "ONEDNN_VERBOSE")
            .OrderBy(variable => variable.Name, StringComparer.Ordinal)
            .Select(variable => $"{variable.Name}={variable.Value}"));
}
