using LabelFree.Pipeline.Models;
using TorchSharp;

namespace LabelFree.Benchmarks;

/// <summary>What the figures were measured on: they mean little without it.</summary>
public sealed record MachineDescription(string Processor, int LogicalCores, int Threads, int InteropThreads, string TorchSharp, string LibTorch, string OperatingSystem)
{
    private const string CpuInfoPath = "/proc/cpuinfo";

    /// <summary>This machine, with libtorch's current thread settings.</summary>
    public static MachineDescription Current()
    {
        var versions = LibraryVersions.Current;
        return new MachineDescription(
            ProcessorName(), Environment.ProcessorCount, torch.get_num_threads(), torch.get_num_interop_threads(),
            versions.TorchSharp, versions.LibTorch, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }

    private static string ProcessorName()
    {
        if (!File.Exists(CpuInfoPath))
        {
            return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        }

        var modelLine = File.ReadLines(CpuInfoPath).FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal));
        return modelLine is null ? "unknown" : modelLine[(modelLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
