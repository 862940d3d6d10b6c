using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Verdicts already measured on this machine, so a process verifies its paths once, not at every start.
/// One file per key: the CPU (model and flags), the libtorch and TorchSharp builds, this build of the
/// self-test and network code, the known answers and the thread count; anything else and the verdicts
/// are measured again. Written through a temporary file and a rename, so parallel processes never read
/// half a file.
/// </summary>
public sealed class VerdictCache(string directory)
{
    public string Directory { get; } = directory;

    public static string Key(int threads)
    {
        var pipeline = typeof(KnownAnswers).Assembly;
        var identity = string.Join('|',
            typeof(TorchSharp.torch).Assembly.GetName().Version,
            pipeline.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorch")?.Value ?? "libtorch ?",
            pipeline.ManifestModule.ModuleVersionId,
            KnownAnswers.Sha256,
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
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var merged = Read(key).Where(old => !verdicts.Any(v => v.Path == old.Path && v.Level == old.Level)).Concat(verdicts).ToList();
            var file = FileFor(key);
            var temporary = $"{file}.{Environment.ProcessId}.partial";
            File.WriteAllText(temporary, VerdictJson.Serialize(merged));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Read-only or full: the next process measures again.
        }
    }
}
