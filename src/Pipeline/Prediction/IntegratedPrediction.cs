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

    public TimeSpan Preprocess => TimeSpan.FromTicks(Predictions.Sum(p => p.Preprocess.Ticks + p.Restore.Ticks));
}
