using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>Held-out data a run measures its validation loss on at every checkpoint.</summary>
public interface IValidationSet
{
    /// <summary>The mean loss of <paramref name="network"/> (already in eval mode, gradients off) on the held-out data.</summary>
    double Measure(nn.Module<Tensor, Tensor> network, TrainingLoss loss);
}
