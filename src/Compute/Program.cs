using LabelFree.Compute;
using LabelFree.Pipeline.Compute;

// labelfree-compute probe --level NAME --onednn on|off --paths a,b --threads N [--inject-fault PATH]...
// Runs the known-answer test of each path in this fresh process, at the level its environment sets (the
// level's variables were set by whoever started it), on a polluted heap, and prints the verdicts as one JSON
// line. Started by ProbeProcess, not by people: `labelfree selftest` is the command for them.
if (args.Length == 0 || args[0] != "probe")
{
    Console.Error.WriteLine("labelfree-compute is started by labelfree to test one compute level; run 'labelfree selftest' instead.");
    return 2;
}

ProbeArguments probe;
try
{
    probe = ProbeArguments.Parse(args.AsSpan(1));
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}

if (!probe.OneDnn)
{
    OneDnnSwitch.Set(false);
}

PollutedHeap.EnableJunkFill();
var verdicts = probe.Paths
    .Select(path => KnownAnswerTest.Run(path, probe.Level, KnownAnswerTest.DefaultRepetitions(path), probe.Threads, probe.Faults.Contains(path)))
    .ToList();
Console.WriteLine(VerdictJson.Serialize(verdicts));
return 0;
