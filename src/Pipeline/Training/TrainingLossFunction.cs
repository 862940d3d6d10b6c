using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>The one place a <see cref="TrainingLoss"/> becomes arithmetic, for training steps and validation alike.</summary>
public static class TrainingLossFunction
{
    public static Tensor Compute(TrainingLoss loss, Tensor prediction, Tensor target) => loss switch
    {
        TrainingLoss.MeanSquaredError => nn.functional.mse_loss(prediction, target),
        TrainingLoss.MeanAbsoluteError => nn.functional.l1_loss(prediction, target),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown training loss."),
    };
}
