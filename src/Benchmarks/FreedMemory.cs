using System.Runtime.InteropServices;
using LabelFree.Compute;

namespace LabelFree.Benchmarks;

/// <summary>
/// Gives memory that earlier work freed back to the operating system, so that the next measurement's
/// baseline is what the process really holds, and a child process started next finds the machine's memory
/// free: collected .NET objects (their finalizers also free undisposed native tensors), then the allocator's
/// free memory. labelfree runs on tcmalloc where the machine has it, with TCMALLOC_RELEASE_RATE=0 so that a
/// worker keeps its memory for the next stack; without this call the peak of a case would be the largest
/// case before it.
/// </summary>
public static partial class FreedMemory
{
    public static unsafe void Release()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // dlopen of the preloaded library gives the instance this process allocates with.
        if (ProcessEnvironment.MappedLibrary("libtcmalloc") is { } library && NativeLibrary.TryLoad(library, out var handle)
            && NativeLibrary.TryGetExport(handle, "MallocExtension_ReleaseFreeMemory", out var release))
        {
            ((delegate* unmanaged<void>)release)();
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to trim; measurements then carry whatever the allocator keeps.
        }
        catch (DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallocTrim(nuint pad);
}
