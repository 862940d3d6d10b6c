using System.Runtime.InteropServices;

namespace LabelFree.Compute;

/// <summary>
/// The native environment of this process. .NET's Environment.SetEnvironmentVariable changes only the
/// runtime's own copy on Linux; libtorch and oneDNN read theirs with getenv, so a level is set with libc's
/// setenv, and only while libtorch has not been loaded (it reads the variables once, at its first kernel).
/// </summary>
public static partial class ProcessEnvironment
{
    public static bool IsLibTorchLoaded() => MappedLibrary("libtorch_cpu") is not null;

    /// <summary>The path of the first shared library mapped into this process whose path contains <paramref name="name"/> (/proc/self/maps), or null.</summary>
    public static string? MappedLibrary(string name) => File.Exists("/proc/self/maps")
        ? File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains(name, StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault()
        : null;

    public static void Set(string name, string? value)
    {
        if (!OperatingSystem.IsLinux())
        {
            Environment.SetEnvironmentVariable(name, value);
            return;
        }

        var result = value is null ? UnsetEnvironment(name) : SetEnvironment(name, value, 1);
        if (result != 0)
        {
            throw new InvalidOperationException($"Could not set {name} in the process environment (errno {Marshal.GetLastPInvokeError()}).");
        }

        // Keep .NET's copy in step, for child processes started through Process.
        Environment.SetEnvironmentVariable(name, value);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnsetEnvironment(string name);
}
