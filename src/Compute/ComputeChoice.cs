using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// The outcome of asking for a compute level for a set of paths: the level (null when the paths are refused)
/// and every verdict the answer rests on, failed levels included.
/// </summary>
/// <param name="Refusal">Why the paths were refused, when the usual explanation (no level passes) is not the reason.</param>
public sealed record ComputeChoice(ComputeLevel? Level, IReadOnlyList<ComputePath> Paths, IReadOnlyList<PathVerdict> Verdicts, string? Refusal = null)
{
    public bool Refused => Level is null;

    /// <summary>The verdicts at the chosen level, one per path.</summary>
    public IReadOnlyList<PathVerdict> ChosenVerdicts =>
        Level is null ? [] : Paths.Select(path => Verdicts.Last(v => v.Level == Level.Name && v.Path == path)).ToList();

    /// <summary>Levels that were tried and failed for one of the paths, with the first failure.</summary>
    public IEnumerable<PathVerdict> Failures => Verdicts.Where(v => v.WasRun && !v.Passed);

    /// <summary>One paragraph for a log or an error: what was chosen or why nothing was.</summary>
    public string Describe()
    {
        var paths = string.Join(" + ", Paths.Select(ComputePaths.Name));
        var failures = Failures.Select(v => $"{ComputePaths.Name(v.Path)} at {v.Level}: {v.Failure}").ToList();
        var failed = failures.Count == 0 ? "" : " Failed: " + string.Join("; ", failures) + ".";
        return Level is not null
            ? $"Compute level {Level.Name} ({Level.Description}) verified for {paths}.{failed}"
            : Refusal is not null
                ? $"{Refusal}{failed}"
                : $"No compute level passes the self-test for {paths} on this machine; refused.{failed} Run 'labelfree selftest' for the whole table.";
    }

    /// <summary>What computed results: the level, the CPU and the worst verdict of each verified path.</summary>
    public static ComputeRecord Record(ComputeLevel level, IEnumerable<PathVerdict> verified)
    {
        ArgumentNullException.ThrowIfNull(level);
        return new ComputeRecord(level.Name, CpuDescription.Current.Model,
            verified.Where(v => v.Level == level.Name).GroupBy(v => v.Path).OrderBy(group => group.Key)
                .Select(group => group.MaxBy(v => v.MaxError)!)
                .Select(v => new ComputeRecordPath(ComputePaths.Name(v.Path), v.Passed, v.MaxError, v.Tolerance))
                .ToList());
    }
}
