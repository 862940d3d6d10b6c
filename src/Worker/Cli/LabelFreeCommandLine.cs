using System.CommandLine;

namespace LabelFree.Worker.Cli;

/// <summary>
/// The `labelfree` root command. Each verb lives in its own file as a static class with
/// <c>public static Command Create()</c>; its action runs through <see cref="VerbAction"/> so every
/// verb shares the exit codes and the way errors are reported.
/// </summary>
public static class LabelFreeCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "LabelFree: predict fluorescence from transmitted-light z-stacks (Ounkomol et al. 2018), " +
            "train and evaluate structure models, and serve predictions from a message queue.");
        root.Add(InfoVerb.Create());
        root.Add(BenchVerb.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'labelfree --help' (or 'labelfree VERB --help') for usage.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }
}
