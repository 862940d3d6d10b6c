using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>One structure predicted for one volume, on the input's grid, with what it took.</summary>
/// <param name="ModelShape">The shape the network saw (after resampling and padding).</param>
/// <param name="ResamplingDecision">What was decided about resampling and why, for result metadata.</param>
/// <param name="Distribution">How far the normalised input lies from the model's training inputs; null when the bundle does not describe them.</param>
public sealed record StructurePrediction(
    string Structure,
    Volume Volume,
    VolumeShape ModelShape,
    string ResamplingDecision,
    TimeSpan Preprocess,
    TimeSpan Inference,
    TimeSpan Restore,
    DistributionScore? Distribution);
