using LabelFree.Benchmarks.Accuracy;

namespace LabelFree.Pipeline.Tests.Benchmarks.Accuracy;

public class AccuracyReportTests
{
    private static readonly double[] Minutes = [2.5, 5, 7.5, 10];

    private static AccuracyRun Run(string task, string recipe, int seed, params double[] r) =>
        new(task, recipe, seed, Minutes, r, 1000, 900, r[^1] + 0.01, 1.0, 9.0);

    private static AccuracyReport Report(params AccuracyRun[] runs) =>
        AccuracyReport.Summarise(new AccuracyBenchmarkOptions { RealDataFolder = "/nowhere", WorkFolder = "/nowhere", Seeds = [0, 1, 2] }, runs);

    private static IEnumerable<AccuracyRun> Task(string task, double[] paperEnd, double[] improvedHalf, double[] improvedEnd) =>
        Enumerable.Range(0, 3).SelectMany(seed => new[]
        {
            Run(task, "paper", seed, 0.3, 0.5, 0.55, paperEnd[seed]),
            Run(task, "labelfree", seed, 0.3, improvedHalf[seed], improvedHalf[seed], improvedEnd[seed]),
        });

    [Fact]
    public void The_verdicts_compare_medians_over_seeds_at_the_end_and_at_half_the_budget()
    {
        var runs = Task("a", [0.60, 0.70, 0.65], [0.70, 0.72, 0.74], [0.75, 0.71, 0.73])
            .Concat(Task("b", [0.40, 0.50, 0.45], [0.50, 0.50, 0.50], [0.52, 0.53, 0.51]))
            .Concat(Task("c", [0.80, 0.80, 0.80], [0.81, 0.81, 0.81], [0.82, 0.81, 0.83]))
            .ToArray();

        var report = Report(runs);

        var a = report.Tasks.Single(t => t.Task == "a");
        Assert.Equal(0.73, a.Improved.MedianR[^1], 10);
        Assert.Equal(0.65, a.Paper.MedianR[^1], 10);
        Assert.Equal(0.08, a.Gain, 10);
        Assert.Equal(0.73 - 0.72, a.Improved.SecondHalfChange, 10);
        Assert.Equal(0.01, a.Improved.AugmentationGain!.Value, 10);
        Assert.Equal(9.0, a.Improved.AugmentationCost!.Value, 10);
        Assert.True(report.ImprovedBeatsPaperOnEveryTask);
        Assert.Equal(2, report.TasksImprovedByAtLeast005);
        Assert.True(report.ImprovedNeverFallsInSecondHalf);
        Assert.True(report.MeetsTargets);
    }

    [Fact]
    public void A_recipe_that_gets_worse_with_training_or_loses_a_task_misses()
    {
        var falling = Task("a", [0.60, 0.60, 0.60], [0.80, 0.80, 0.80], [0.70, 0.70, 0.70])
            .Concat(Task("b", [0.40, 0.40, 0.40], [0.50, 0.50, 0.50], [0.52, 0.53, 0.51]))
            .Concat(Task("c", [0.80, 0.80, 0.80], [0.70, 0.70, 0.70], [0.79, 0.81, 0.78]))
            .ToArray();

        var report = Report(falling);

        Assert.False(report.ImprovedNeverFallsInSecondHalf);
        Assert.False(report.ImprovedBeatsPaperOnEveryTask);
        Assert.Equal(2, report.TasksImprovedByAtLeast005);
        Assert.False(report.MeetsTargets);
    }
}
