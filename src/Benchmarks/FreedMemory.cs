using System.Runtime.InteropServices;

namespace LabelFree.Benchmarks;

/// <summary>
/// Gives memory that earlier work freed back to the operating system, so that the next measurement's
/// baseline is what the process really holds: collected .NET objects (their finalizers also free
/// undisposed native tensors), then glibc's malloc_trim for heap pages libtorch freed but glibc kept.
/// </summary>
public static partial class FreedMemory
{
    public static void Release()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
        {
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
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallocTrim(nuint pad);
}
