using System.Runtime.InteropServices;

namespace LabelFree.Benchmarks;

/// <summary>
/// Whether the Intel oneMKL built into libtorch_cpu takes this CPU for an Intel one. MKL picks its
/// fastest fp32 GEMM kernels only on Intel CPUs; on AMD it runs a generic path. Measured on the
/// AMD EPYC (Zen 5, AVX-512) dev machine: torch.matmul fp32 n=2048 at 108 GFLOP per CPU-second as
/// shipped, 228 with mkl_serv_intel_cpu_true overridden to return 1 (LD_PRELOAD of a one-line
/// library); bf16 and the oneDNN convolutions are unaffected. So the fp32 GEMM reference measured
/// here is MKL's rate on this CPU, not the hardware's.
/// </summary>
public static class MklDispatch
{
    /// <summary>True or false as MKL decides; null where libtorch has no MKL or the check is not exported.</summary>
    public static unsafe bool? TreatsCpuAsIntel()
    {
        // libtorch_cpu is already loaded by TorchSharp; dlopen by name returns that same library.
        var name = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        if (!NativeLibrary.TryLoad(name, out var library))
        {
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "mkl_serv_intel_cpu_true", out var check))
        {
            return null;
        }

        return ((delegate* unmanaged<int>)check)() != 0;
    }
}
