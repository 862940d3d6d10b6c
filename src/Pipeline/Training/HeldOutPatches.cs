using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// The reference implementation's validation: a few batches of random patches of the test pairs, the same
/// patches every time (a fresh sampler with a fixed seed). For the record only; it never chooses the model.
/// </summary>
public sealed class HeldOutPatches(Func<BufferedPatchSampler> sampler, int batches, int batchSize, int dimensions) : IValidationSet
{
    public ValidationMeasurement Measure(nn.Module<Tensor, Tensor> network, TrainingLoss loss)
    {
        var patches = sampler();
        var parts = new List<ValidationMeasurement>(batches);
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var batch = patches.NextBatch(batchSize);
            var prediction = network.forward(PatchTensors.Of(batch.Signal, batch.Count, batch.Patch, dimensions));
            parts.Add(ValidationMeasurement.Of(prediction, PatchTensors.Of(batch.Target, batch.Count, batch.Patch, dimensions), loss));
        }

        return ValidationMeasurement.Mean(parts);
    }
}
