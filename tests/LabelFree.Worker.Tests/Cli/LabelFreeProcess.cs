using System.Diagnostics;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>Runs the real `labelfree` executable (labelfree.dll beside the tests) as a user would, with a time limit.</summary>
public static class LabelFreeProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static Result Run(TimeSpan limit, params string[] arguments) => Run(new Dictionary<string, string>(), limit, arguments);

    /// <param name="environment">Variables added to the inherited environment.</param>
    public static Result Run(IReadOnlyDictionary<string, string> environment, TimeSpan limit, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"labelfree {string.Join(' ', arguments)} did not finish within {limit}.");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Result Run(params string[] arguments) => Run(TimeSpan.FromMinutes(3), arguments);

    /// <summary>Starts `labelfree` with redirected output; the caller reads it and waits.</summary>
    public static Process Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labelfree.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
