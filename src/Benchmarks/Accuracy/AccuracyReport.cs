namespace LabelFree.Benchmarks.Accuracy;

/// <summary>The benchmark's figures: every run, the per-task summary of each recipe, and issue 10's acceptance verdicts.</summary>
public sealed record AccuracyReport(
    double Minutes,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<AccuracyRun> Runs,
    IReadOnlyList<AccuracyTaskSummary> Tasks,
    bool ImprovedBeatsPaperOnEveryTask,
    int TasksImprovedByAtLeast005,
    bool ImprovedNeverFallsInSecondHalf)
{
    /// <summary>The least gain in median r that counts as clearly better (issue 10).</summary>
    public const double ClearGain = 0.05;

    public bool MeetsTargets => ImprovedBeatsPaperOnEveryTask && TasksImprovedByAtLeast005 >= 2 && ImprovedNeverFallsInSecondHalf;

    public static AccuracyReport Summarise(AccuracyBenchmarkOptions options, IReadOnlyList<AccuracyRun> runs)
    {
        var tasks = runs.GroupBy(r => r.Task).Select(g => AccuracyTaskSummary.Of(g.Key, g.ToList())).ToList();
        return new AccuracyReport(options.Minutes, options.Seeds, runs, tasks,
            tasks.Count > 0 && tasks.All(t => t.Gain > 0),
            tasks.Count(t => t.Gain >= ClearGain),
            tasks.All(t => t.Improved.SecondHalfChange >= 0));
    }
}
