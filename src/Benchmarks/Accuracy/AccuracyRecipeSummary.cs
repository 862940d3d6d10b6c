namespace LabelFree.Benchmarks.Accuracy;

/// <summary>One recipe on one task: median, lowest and highest test r over the seeds at each measured time.</summary>
/// <param name="SecondHalfChange">Median r at the end minus median r at half the budget (negative: training longer made it worse).</param>
/// <param name="AugmentationGain">Median over seeds of (r with test-time augmentation - r without), for the delivered model.</param>
/// <param name="AugmentationCost">Median ratio of prediction time with test-time augmentation to without.</param>
public sealed record AccuracyRecipeSummary(
    IReadOnlyList<double> Minutes,
    IReadOnlyList<double> MedianR,
    IReadOnlyList<double> LowestR,
    IReadOnlyList<double> HighestR,
    double SecondHalfChange,
    double? AugmentationGain,
    double? AugmentationCost)
{
    public static AccuracyRecipeSummary Of(IReadOnlyList<AccuracyRun> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("A recipe summary needs at least one run.", nameof(runs));
        }

        var minutes = runs[0].Minutes;
        var at = Enumerable.Range(0, minutes.Count).Select(i => runs.Select(r => r.TestR[i]).ToList()).ToList();
        var median = at.Select(Median).ToList();
        var half = Enumerable.Range(0, minutes.Count).MinBy(i => Math.Abs(minutes[i] - minutes[^1] / 2));
        var augmented = runs.Where(r => r.TestRWithAugmentation is not null).ToList();
        return new AccuracyRecipeSummary(minutes, median, at.Select(v => v.Min()).ToList(), at.Select(v => v.Max()).ToList(),
            median[^1] - median[half],
            augmented.Count == 0 ? null : Median(augmented.Select(r => r.TestRWithAugmentation!.Value - r.TestR[^1]).ToList()),
            augmented.Count == 0 ? null : Median(augmented.Select(r => r.PredictSecondsWithAugmentation!.Value / r.PredictSeconds).ToList()));
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
