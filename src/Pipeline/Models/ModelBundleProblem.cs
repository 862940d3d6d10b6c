namespace LabelFree.Pipeline.Models;

/// <summary>Why a model bundle could not be loaded. Stable names: the worker maps them to failure reasons.</summary>
public enum ModelBundleProblem
{
    /// <summary>The folder or its model.json does not exist.</summary>
    ManifestMissing,

    /// <summary>model.json is not valid JSON, lacks a required field, or holds a value out of range.</summary>
    ManifestInvalid,

    /// <summary>The weights file model.json names does not exist.</summary>
    WeightsMissing,

    /// <summary>The weights file's SHA-256 differs from the one in model.json: changed, truncated or swapped.</summary>
    WeightsHashMismatch,

    /// <summary>The weights file cannot be read as a state dict.</summary>
    WeightsUnreadable,

    /// <summary>The weights do not fit the network model.json describes.</summary>
    WeightsDoNotFitNetwork,

    /// <summary>
    /// A weight or buffer holds NaN or infinite values: training diverged or ran on wrong arithmetic, and
    /// every prediction would be NaN.
    /// </summary>
    NonFiniteWeights,
}
