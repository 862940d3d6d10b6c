using System.Collections;
using System.Runtime.InteropServices;
using LabelFree.Compute;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// Starts the process on tcmalloc (Debian's libtcmalloc-minimal4) when the machine has it: glibc's malloc
/// hands every large tensor back to the kernel when libtorch frees it and faults fresh pages in for the next,
/// which cost a third of a 3D prediction's CPU time (48x240x368 fp32 one pass: 42 CPU-s of which 11 in the
/// kernel; on tcmalloc 33 CPU-s, 1 in the kernel, peak memory +10 %). tcmalloc itself still hands free
/// spans back to the kernel little by little (TCMALLOC_RELEASE_RATE, default 1), and a worker that predicts
/// stack after stack faults them in again: a second one-pass prediction of that stack on one thread spent 3.1
/// of 18.3 CPU-s in the kernel at the default rate, 0.1 of 12.8 at rate 0, which the restart sets unless the
/// environment names a rate. The memory is kept for the next stack, which needs the same again. An allocator is chosen when a process
/// starts, so the process replaces itself (execve, same pid, same arguments) with LD_PRELOAD set, before
/// anything else runs. The container image sets LD_PRELOAD itself; LABELFREE_ALLOCATOR=system keeps glibc's.
/// </summary>
public static partial class AllocatorLaunch
{
    public const string Variable = "LABELFREE_ALLOCATOR";

    /// <summary>tcmalloc's rate of returning free memory to the kernel; 0: never.</summary>
    public const string ReleaseRate = "TCMALLOC_RELEASE_RATE";

    private static readonly string[] Libraries =
    [
        "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4",
        "/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4",
        "/usr/lib64/libtcmalloc_minimal.so.4",
    ];

    /// <summary>The allocator this process runs on, as /proc/self/maps shows it.</summary>
    public static string Current =>
        ProcessEnvironment.MappedLibrary("libtcmalloc") is not null
            ? $"tcmalloc, {ReleaseRate}={Environment.GetEnvironmentVariable(ReleaseRate) ?? "1 (its default)"}"
            : "glibc malloc";

    /// <summary>Returns only when the process stays as it is: not Linux, already on tcmalloc, told not to, no library, or execve failed.</summary>
    public static void RestartOnTcmallocIfAvailable()
    {
        var executable = Environment.ProcessPath;
        if (EnvironmentAfterRestart() is not { } environment || executable is null)
        {
            return;
        }

        // `dotnet labelfree.dll ARGS`: the first command-line argument is the dll; an apphost is its own first argument.
        var commandLine = Environment.GetCommandLineArgs();
        string[] arguments = Path.GetFileNameWithoutExtension(executable) == "dotnet"
            ? [executable, .. commandLine]
            : [executable, .. commandLine.Skip(1)];
        Execute(executable, arguments, [.. environment.Select(variable => $"{variable.Key}={variable.Value}")]);
    }

    /// <summary>
    /// The environment a labelfree process started from this one's environment would restart itself with, or
    /// null when it would stay as it is.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? EnvironmentAfterRestart()
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => entry.Value as string ?? "", StringComparer.Ordinal);
        var preload = environment.GetValueOrDefault("LD_PRELOAD", "");
        var library = Libraries.FirstOrDefault(File.Exists);
        if (!OperatingSystem.IsLinux() || environment.GetValueOrDefault(Variable, "").Length > 0
            || preload.Contains("tcmalloc", StringComparison.Ordinal) || library is null)
        {
            return null;
        }

        environment["LD_PRELOAD"] = preload.Length == 0 ? library : library + ":" + preload;
        environment[Variable] = "tcmalloc";
        environment.TryAdd(ReleaseRate, "0");
        return environment;
    }

    private static void Execute(string path, string[] arguments, string[] environment)
    {
        var argv = Unmanaged(arguments);
        var envp = Unmanaged(environment);
        try
        {
            _ = ExecVe(path, argv, envp);

            // Only reached when execve failed: go on with the allocator we have.
        }
        finally
        {
            foreach (var pointer in argv.Concat(envp).Where(p => p != 0))
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }

    // A null-terminated array of C strings.
    private static nint[] Unmanaged(string[] values) => [.. values.Select(Marshal.StringToHGlobalAnsi), 0];

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecVe(string path, [In] nint[] argv, [In] nint[] envp);
}
