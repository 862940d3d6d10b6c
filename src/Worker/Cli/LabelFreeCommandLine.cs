using System.CommandLine;

namespace LabelFree.Worker.Cli;

/// <summary>The `labelfree` root command: one verb per file in this folder.</summary>
public static class LabelFreeCommandLine
{
    /// <summary>Exit codes shared by every verb.</summary>
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "LabelFree: predict fluorescence from transmitted-light z-stacks (Ounkomol et al. 2018), " +
            "train and evaluate structure models, and serve predictions from a message queue.");
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

            await Console.Error.WriteLineAsync("Run 'labelfree --help' for usage.");
            return Usage;
        }

        return await parsed.InvokeAsync();
    }
}
