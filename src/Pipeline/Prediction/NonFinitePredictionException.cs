using System.Globalization;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// A structure's prediction holds NaN or infinite voxels although its input was finite (checked on entry) and
/// its weights too (checked when a bundle loads): the forward pass itself went wrong, the model overflows or
/// this machine computes wrong. A compute defect, never bad input: nothing is written with it.
/// </summary>
public sealed class NonFinitePredictionException(string structure, string model, long nonFiniteVoxels, long voxels)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"The prediction of '{structure}' (model {model}) holds {nonFiniteVoxels} NaN or infinite voxels of {voxels}. ") +
        "A compute defect, not bad input: the input and the weights are finite, so the model's arithmetic or this machine's " +
        "is wrong. Run 'labelfree selftest' on this machine and try the model on another; nothing was written.")
{
    public string Structure { get; } = structure;

    /// <summary>The model's name from its model.json.</summary>
    public string Model { get; } = model;

    public long NonFiniteVoxels { get; } = nonFiniteVoxels;
}
