namespace LabelFree.Pipeline.Training;

/// <summary>What training minimises between prediction and target.</summary>
public enum TrainingLoss
{
    /// <summary>Mean squared error, the paper's: with z-scored targets it tracks 1 - Pearson r.</summary>
    MeanSquaredError,

    /// <summary>Mean absolute error: less pulled by the few brightest voxels (saturated nuclei, debris).</summary>
    MeanAbsoluteError,
}
