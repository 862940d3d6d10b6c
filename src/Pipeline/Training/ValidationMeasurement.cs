using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// What a checkpoint's weights score on held-out data: the training loss, and the Pearson r between prediction
/// and target. r is the figure users judge a model by, and it ignores the overall scale and offset of the
/// prediction, which drift from checkpoint to checkpoint with the batch-norm statistics of eval mode.
/// </summary>
/// <param name="R">NaN when the prediction or the target is constant.</param>
public sealed record ValidationMeasurement(double Loss, double R)
{
    /// <summary>Scores one prediction against its target (same shape).</summary>
    public static ValidationMeasurement Of(Tensor prediction, Tensor target, TrainingLoss loss)
    {
        using var scope = NewDisposeScope();
        var value = TrainingLossFunction.Compute(loss, prediction, target).item<float>();
        // Double sums: a strip has millions of voxels.
        var p = prediction.flatten().to_type(ScalarType.Float64);
        var t = target.flatten().to_type(ScalarType.Float64);
        p = p - p.mean();
        t = t - t.mean();
        var r = ((p * t).sum() / (p.square().sum() * t.square().sum()).sqrt()).item<double>();
        return new ValidationMeasurement(value, r);
    }

    /// <summary>The mean loss and mean r of several parts (regions or batches), each weighing the same.</summary>
    public static ValidationMeasurement Mean(IReadOnlyCollection<ValidationMeasurement> parts) =>
        new(parts.Average(m => m.Loss), parts.Average(m => m.R));
}
