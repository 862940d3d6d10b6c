using System.CommandLine;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree bench SUBJECT`: benchmarks to run by hand on a machine, printing figures and the targets they meet or miss.</summary>
public static class BenchVerb
{
    public static Command Create() =>
        new("bench", "Measure how fast this machine runs LabelFree's heavy parts, against the project's targets.")
        {
            BenchModelCommand.Create(),
            BenchAccuracyCommand.Create(),
            BenchRegistrationCommand.Create(),
            BenchWorkerCommand.Create(),
            BenchModelCommand.CreateLevel(),
            BenchModelCommand.CreateGemm(),
        };
}
