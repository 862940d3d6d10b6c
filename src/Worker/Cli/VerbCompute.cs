using LabelFree.Compute;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Worker.Cli;

/// <summary>
/// What every verb that computes does before its first torch call: verify the compute paths it will use
/// and run at the fastest level that passes them (<see cref="ComputeGate"/>). The self-test runs in child
/// processes the first time on a machine and is cached after; a fallback or a refusal is said on stderr.
/// </summary>
internal static class VerbCompute
{
    /// <param name="threads">The verb's libtorch threads: the self-test runs on as many, since a fault can depend on it.</param>
    /// <exception cref="ComputeRefusedException">No level passes for every path: the verb does not start.</exception>
    public static ComputeChoice Require(int threads, params ComputePath[] paths)
    {
        if (threads < 1)
        {
            throw new UsageException($"--threads must be at least 1, not {threads}.");
        }

        var choice = ComputeGate.Require(paths, ComputeSettings.FromEnvironment() with { Threads = threads },
            new InlineProgress<string>(message => Console.Error.WriteLine(message)));
        if (choice.Failures.Any())
        {
            Console.Error.WriteLine(choice.Describe());
        }

        return choice;
    }
}
