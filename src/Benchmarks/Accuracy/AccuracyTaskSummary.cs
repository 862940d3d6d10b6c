using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>Both recipes on one task, over the seeds.</summary>
/// <param name="Gain">Median test r of LabelFree's recipe minus the paper's, at the end of the budget.</param>
public sealed record AccuracyTaskSummary(string Task, AccuracyRecipeSummary Paper, AccuracyRecipeSummary Improved, double Gain)
{
    public static AccuracyTaskSummary Of(string task, IReadOnlyList<AccuracyRun> runs)
    {
        var paper = AccuracyRecipeSummary.Of(runs.Where(r => r.Recipe == TrainingRecipe.Paper.Name).ToList());
        var improved = AccuracyRecipeSummary.Of(runs.Where(r => r.Recipe == TrainingRecipe.Recommended.Name).ToList());
        return new AccuracyTaskSummary(task, paper, improved, improved.MedianR[^1] - paper.MedianR[^1]);
    }
}
