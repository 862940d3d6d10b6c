namespace LabelFree.Pipeline.Training;

/// <summary>Which weights of a run become the model.</summary>
public enum CheckpointSelection
{
    /// <summary>The paper's: the weights after the last iteration.</summary>
    Last,

    /// <summary>
    /// The weights with the lowest validation loss, measured on regions held out of the training images at
    /// every checkpoint: a run that starts to overfit keeps its best model. Needs a validation share.
    /// </summary>
    LowestValidationLoss,

    /// <summary>
    /// The weights with the highest validation Pearson r on the same held-out regions. The loss also counts the
    /// prediction's overall scale and offset, which jump from checkpoint to checkpoint with eval-mode batch-norm
    /// statistics and made the lowest loss an early model in the accuracy benchmark; r is what users are judged
    /// on. Needs a validation share.
    /// </summary>
    HighestValidationCorrelation,
}
