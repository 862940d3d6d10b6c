using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// The outcome of choosing a compute level for a set of paths: the level (null when none passes for
/// every path: the paths are refused) and every verdict the choice rests on, failed levels included.
/// </summary>
public sealed record ComputeChoice(ComputeLevel? Level, IReadOnlyList<ComputePath> Paths, IReadOnlyList<PathVerdict> Verdicts)
{
    public bool Refused => Level is null;

    /// <summary>The verdicts at the chosen level, one per path.</summary>
    public IReadOnlyList<PathVerdict> ChosenVerdicts =>
        Level is null ? [] : Verdicts.Where(v => v.Level == Level.Name && Paths.Contains(v.Path)).ToList();

    /// <summary>Levels that were tried and failed for one of the paths, with the first failure.</summary>
    public IEnumerable<PathVerdict> Failures => Verdicts.Where(v => v.WasRun && !v.Passed);

    /// <summary>One paragraph for a log or an error: what was chosen or why nothing was.</summary>
    public string Describe()
    {
        var paths = string.Join(" + ", Paths.Select(ComputePaths.Name));
        var failures = Failures.Select(v => $"{ComputePaths.Name(v.Path)} at {v.Level}: {v.Failure}").ToList();
        var failed = failures.Count == 0 ? "" : " Failed: " + string.Join("; ", failures) + ".";
        return Level is null
            ? $"No compute level passes the self-test for {paths} on this machine; refused.{failed} Run 'labelfree selftest' for the whole table."
            : $"Compute level {Level.Name} ({Level.Description}) verified for {paths}.{failed}";
    }

    /// <summary>What computed results in this process, for bundles and manifests.</summary>
    public ComputeRecord ToRecord() => new(
        Level?.Name ?? "refused",
        CpuDescription.Current.Model,
        ChosenVerdicts.Select(v => new ComputeRecordPath(ComputePaths.Name(v.Path), v.Passed, v.MaxError, v.Tolerance)).ToList());
}
