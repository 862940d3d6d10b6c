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
}
