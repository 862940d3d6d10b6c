namespace LabelFree.Pipeline.Compute;

/// <summary>
/// A configuration of libtorch's CPU kernels: the highest instruction set oneDNN may use
/// (ONEDNN_MAX_CPU_ISA), the one ATen's own kernels may use (ATEN_CPU_CAPABILITY), or oneDNN switched
/// off altogether. Both variables are read once, at the first kernel call, so a level is chosen before
/// the process's first torch call (or in a child process that starts with it).
/// </summary>
/// <param name="Name">Stable name (command line, cache, JSON, metrics).</param>
/// <param name="OneDnnIsa">ONEDNN_MAX_CPU_ISA, or null to leave oneDNN's own choice.</param>
/// <param name="AtenCapability">ATEN_CPU_CAPABILITY, or null to leave ATen's own choice.</param>
/// <param name="UsesOneDnn">False: convolutions run on ATen's own kernels (at::Context::setUserEnabledMkldnn(false)).</param>
/// <param name="RequiredCpuFlags">/proc/cpuinfo flags the level needs; without them it is not available on this CPU.</param>
public sealed record ComputeLevel(
    string Name,
    string Description,
    string? OneDnnIsa,
    string? AtenCapability,
    bool UsesOneDnn,
    IReadOnlyList<string> RequiredCpuFlags)
{
    /// <summary>Whatever libtorch picks on this CPU: normally the fastest.</summary>
    public static ComputeLevel Default { get; } = new("default", "libtorch's own choice", null, null, true, []);

    /// <summary>
    /// Every AVX-512 extension oneDNN knows short of AMX (bf16, VNNI, fp16). Only where the CPU has the bf16
    /// instructions: without them it would be the same as <see cref="Avx512"/>.
    /// </summary>
    public static ComputeLevel Avx512Full { get; } = new("avx512-full", "AVX-512 with bf16/VNNI/fp16 instructions",
        "AVX512_CORE_FP16", "avx512", true, ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16"]);

    /// <summary>AVX-512 without the bf16 instructions: oneDNN emulates bfloat16 with float32 arithmetic.</summary>
    public static ComputeLevel Avx512 { get; } = new("avx512", "AVX-512 without bf16 instructions",
        "AVX512_CORE", "avx512", true, ["avx512f", "avx512bw", "avx512vl", "avx512dq"]);

    public static ComputeLevel Avx2 { get; } = new("avx2", "AVX2 and FMA only", "AVX2", "avx2", true, ["avx2", "fma"]);

    /// <summary>The last resort: no oneDNN at all, ATen's own (slower) convolutions.</summary>
    public static ComputeLevel NoOneDnn { get; } = new("no-onednn", "ATen's own kernels, oneDNN off", null, null, false, []);

    /// <summary>The variables that set a level: a process gets exactly those of its level, and no others.</summary>
    public static IReadOnlyList<string> VariableNames { get; } = ["ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY"];

    /// <summary>Every level, in the order they are tried: fastest first.</summary>
    public static IReadOnlyList<ComputeLevel> Candidates { get; } = [Default, Avx512Full, Avx512, Avx2, NoOneDnn];

    /// <exception cref="ArgumentException">No level has this name.</exception>
    public static ComputeLevel Named(string name) =>
        Candidates.FirstOrDefault(level => string.Equals(level.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown compute level '{name}'; known: {string.Join(", ", Candidates.Select(l => l.Name))}.");

    /// <summary>The values of <see cref="VariableNames"/> a process needs from its start to run at this level (the others unset).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (OneDnnIsa is not null)
        {
            variables["ONEDNN_MAX_CPU_ISA"] = OneDnnIsa;
        }

        if (AtenCapability is not null)
        {
            variables["ATEN_CPU_CAPABILITY"] = AtenCapability;
        }

        return variables;
    }

    public bool IsAvailableOn(CpuDescription cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return RequiredCpuFlags.All(cpu.Flags.Contains);
    }
}
