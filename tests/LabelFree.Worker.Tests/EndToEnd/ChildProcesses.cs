using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>Process plumbing for tests that start, signal and kill real server processes.</summary>
internal static class ChildProcesses
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends a Unix signal (INT, TERM, KILL) with kill(1).</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; throws TimeoutException naming <paramref name="what"/> otherwise.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Runs a bash script; returns its standard output, throws with its output on a non-zero exit.</summary>
    public static async Task<string> BashAsync(string script, string workingDirectory, TimeSpan timeout)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        if (!await WaitForExitAsync(bash, timeout))
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"bash script did not finish within {timeout.TotalSeconds:0} s: {script}");
        }

        return bash.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"bash script failed ({bash.ExitCode}): {script}\n{await output}\n{await errors}");
    }
}
