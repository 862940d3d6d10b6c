using System.Runtime.InteropServices;

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
        if (LoadedTcmalloc() is { } library && NativeLibrary.TryLoad(library, out var handle)
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

    /// <summary>The path of the tcmalloc library mapped into this process, if any (/proc/self/maps).</summary>
    private static string? LoadedTcmalloc() => File.Exists("/proc/self/maps")
        ? File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains("libtcmalloc", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault()
        : null;

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallocTrim(nuint pad);
}
