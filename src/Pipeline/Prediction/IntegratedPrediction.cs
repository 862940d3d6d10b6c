using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>The integrated multi-structure image and, per time point and structure, how each prediction went.</summary>
/// <param name="Image">T x structures x Z x Y x X, channel names = structures.</param>
/// <param name="Predictions">In order t-major, then structure.</param>
public sealed record IntegratedPrediction(Hyperstack Image, IReadOnlyList<StructurePrediction> Predictions)
{
    /// <summary>Total network time per structure over all time points.</summary>
    public IReadOnlyDictionary<string, TimeSpan> InferenceByStructure =>
        Predictions.GroupBy(p => p.Structure).ToDictionary(g => g.Key, g => TimeSpan.FromTicks(g.Sum(p => p.Inference.Ticks)));

    /// <summary>
    /// Per structure, the out-of-distribution score of the stack: its least typical time point (each is scored on
    /// its own), so one frame unlike the training inputs flags the stack. Structures whose bundle describes no
    /// training inputs are left out.
    /// </summary>
    public IReadOnlyDictionary<string, DistributionScore> DistributionByStructure =>
        Predictions.Where(p => p.Distribution is not null).GroupBy(p => p.Structure)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Distribution!).MaxBy(d => d.Score)!);

    public TimeSpan Preprocess => TimeSpan.FromTicks(Predictions.Sum(p => p.Preprocess.Ticks + p.Restore.Ticks));
}
