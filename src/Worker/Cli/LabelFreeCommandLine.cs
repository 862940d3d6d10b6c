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
        root.Add(DemoVerb.Create());
        root.Add(SimulateVerb.Create());
        root.Add(InfoVerb.Create());
        root.Add(TrainVerb.Create());
        root.Add(PredictVerb.Create());
        root.Add(EvaluateVerb.Create());
        root.Add(ImportPyTorchVerb.Create());
        root.Add(ExportBioImageIoVerb.Create());
        root.Add(ServeVerb.Create());
        root.Add(SubmitVerb.Create());
        root.Add(BatchStatusVerb.Create());
        root.Add(RegisterVerb.Create());
        root.Add(BenchVerb.Create());
        root.Add(SelfTestVerb.Create());
        root.Add(SchemasVerb.Create());
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

        // Verbs that must finish a step on a signal handle SIGINT/SIGTERM themselves: train writes a checkpoint
        // (InterruptSignal), serve stops within its configured grace period. System.CommandLine's own handler
        // would end the process two seconds after the signal, mid-checkpoint or mid-stack.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
