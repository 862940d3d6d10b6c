using System.Security.Cryptography;
using System.Text;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// The processor as the kernels see it: model name and instruction-set flags from /proc/cpuinfo. Verdicts
/// of the self-test are kept per CPU, since the same build computed right on one EPYC and wrong on another.
/// </summary>
public sealed record CpuDescription(string Model, string Microcode, IReadOnlySet<string> Flags, int LogicalProcessors)
{
    public static CpuDescription Current { get; } = Read();

    /// <summary>A short stable digest of model, microcode and flags, for file names.</summary>
    public string Key
    {
        get
        {
            var text = Model + "|" + Microcode + "|" + string.Join(' ', Flags.Order(StringComparer.Ordinal)) + "|" + LogicalProcessors;
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        }
    }

    private static CpuDescription Read()
    {
        const string cpuinfo = "/proc/cpuinfo";
        string model = "unknown";
        string microcode = "unknown";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(cpuinfo))
        {
            foreach (var line in File.ReadLines(cpuinfo))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "model name" && model == "unknown")
                {
                    model = value;
                }
                else if (key == "microcode" && microcode == "unknown")
                {
                    microcode = value;
                }
                else if (key == "flags" && flags.Count == 0)
                {
                    flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }

        return new CpuDescription(model, microcode, flags, Environment.ProcessorCount);
    }
}
