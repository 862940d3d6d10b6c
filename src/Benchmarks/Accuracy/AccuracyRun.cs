namespace LabelFree.Benchmarks.Accuracy;

/// <summary>One training run of the benchmark: a task, a recipe, a seed, and the test r at each measured time.</summary>
/// <param name="TestR">Test Pearson r of the weights the run would deliver at each of <see cref="Minutes"/>.</param>
/// <param name="TestRWithAugmentation">Test r of the delivered model with test-time augmentation (8 symmetries averaged).</param>
/// <param name="PredictSeconds">Wall time of predicting the test region plainly.</param>
/// <param name="PredictSecondsWithAugmentation">The same with test-time augmentation.</param>
public sealed record AccuracyRun(
    string Task,
    string Recipe,
    int Seed,
    IReadOnlyList<double> Minutes,
    IReadOnlyList<double> TestR,
    int Iterations,
    int? SelectedIteration,
    double? TestRWithAugmentation,
    double PredictSeconds,
    double? PredictSecondsWithAugmentation);
