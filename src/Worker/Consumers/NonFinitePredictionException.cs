namespace LabelFree.Worker.Consumers;

/// <summary>
/// A structure's prediction holds NaN or infinite voxels. The input was finite (checked when read) and so
/// were the weights (checked when loaded), so the forward pass itself went wrong: the model overflows, or
/// this machine computes wrong. A defect, not bad input and not transient: the stack goes to the error
/// queue, and nothing of it is written.
/// </summary>
public sealed class NonFinitePredictionException : Exception
{
    public NonFinitePredictionException(string batchId, string stackId, string structure, string modelId, long nonFiniteVoxels, long voxels)
        : base(FormattableString.Invariant(
            $"Stack {batchId}/{stackId}: the prediction of '{structure}' (model {modelId}) holds {nonFiniteVoxels} NaN or infinite voxels of {voxels}. ") +
            "A compute defect, not bad input: the input and the weights are finite, so the model's arithmetic or this machine's " +
            "is wrong. Run 'labelfree selftest' on this machine and try the model on another; nothing was written for this stack.")
    {
        BatchId = batchId;
        StackId = stackId;
        Structure = structure;
        ModelId = modelId;
        NonFiniteVoxels = nonFiniteVoxels;
    }

    public string BatchId { get; }

    public string StackId { get; }

    public string Structure { get; }

    /// <summary>"structure/version", the bundle folder below models/.</summary>
    public string ModelId { get; }

    /// <summary>NaN or infinite voxels of this structure's prediction, over every time point.</summary>
    public long NonFiniteVoxels { get; }
}
