using System.Globalization;
using LabelFree.Compute;
using LabelFree.Pipeline.Compute;

// labelfree-compute probe --level NAME --paths a,b --threads N [--inject-fault PATH]...
// Runs the known-answer test of each path in this fresh process, at the level its environment sets,
// on a polluted heap, and prints the verdicts as one JSON line. Started by ProbeProcess, not by people:
// `labelfree selftest` is the command for them.
if (args.Length == 0 || args[0] != "probe")
{
    Console.Error.WriteLine("labelfree-compute is started by labelfree to test one compute level; run 'labelfree selftest' instead.");
    return 2;
}

var options = ProbeArguments.Parse(args.AsSpan(1));
var level = ComputeLevel.Named(options.Level);
if (!level.UsesOneDnn)
{
    OneDnnSwitch.Set(false);
}

PollutedHeap.EnableJunkFill();
var verdicts = options.Paths
    .Select(path => KnownAnswerTest.Run(path, level.Name, KnownAnswerTest.DefaultRepetitions(path), options.Threads, options.Faults.Contains(path)))
    .ToList();
Console.WriteLine(VerdictJson.Serialize(verdicts));
return 0;

/// <summary>The probe's command line.</summary>
internal sealed record ProbeArguments(string Level, IReadOnlyList<ComputePath> Paths, int Threads, IReadOnlySet<ComputePath> Faults)
{
    public static ProbeArguments Parse(ReadOnlySpan<string> args)
    {
        string level = ComputeLevel.Default.Name;
        IReadOnlyList<ComputePath> paths = ComputePaths.All;
        var threads = Environment.ProcessorCount;
        var faults = new HashSet<ComputePath>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--level": level = args[i + 1]; break;
                case "--paths": paths = args[i + 1].Split(',').Select(ComputePaths.Parse).ToList(); break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--inject-fault": faults.Add(ComputePaths.Parse(args[i + 1])); break;
                default: throw new ArgumentException($"Unknown probe argument {args[i]}.");
            }
        }

        return new ProbeArguments(level, paths, threads, faults);
    }
}
