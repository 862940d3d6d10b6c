using System.Runtime.InteropServices;
using TorchSharp;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// Turns libtorch's use of oneDNN off for this process (at::globalContext().setUserEnabledMkldnn(false),
/// what torch.backends.mkldnn.enabled = False does in Python; TorchSharp has no wrapper). Convolutions
/// then run on ATen's own kernels. Used by <see cref="ComputeLevel.NoOneDnn"/>.
/// </summary>
public static unsafe class OneDnnSwitch
{
    public static bool IsEnabled
    {
        get
        {
            var (context, _, get) = Exports();
            return ((delegate* unmanaged<nint, byte>)get)(context) != 0;
        }
    }

    public static void Set(bool enabled)
    {
        var (context, set, _) = Exports();
        ((delegate* unmanaged<nint, byte, void>)set)(context, enabled ? (byte)1 : (byte)0);
    }

    private static (nint Context, nint Set, nint Get) Exports()
    {
        // TorchSharp loads libtorch_cpu on first use; touch it so the library is there to look in.
        _ = torch.get_num_threads();
        var library = NativeLibrary.Load("libtorch_cpu.so", typeof(torch).Assembly, null);
        var globalContext = NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
        var context = ((delegate* unmanaged<nint>)globalContext)();
        return (context,
            NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb"),
            NativeLibrary.GetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv"));
    }
}
