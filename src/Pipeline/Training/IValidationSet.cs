using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>Held-out data a run measures its validation loss and r on at every checkpoint.</summary>
public interface IValidationSet
{
    /// <summary>The mean loss and r of <paramref name="network"/> (already in eval mode, gradients off) on the held-out data.</summary>
    ValidationMeasurement Measure(nn.Module<Tensor, Tensor> network, TrainingLoss loss);
}
