using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>A way to train: the paper's, or LabelFree's improved one. Everything else (net, patches, budget) is the task's.</summary>
public sealed record AccuracyRecipe(string Name, Augmentation Augmentation, double ValidationShare, CheckpointSelection Selection,
    int BatchNormPatches, LearningRateSchedule Schedule, TrainingLoss Loss, string Normalisation)
{
    /// <summary>pytorch_fnet's: no augmentation, no validation of its own, the last weights, running batch-norm averages, constant rate, MSE, z-score.</summary>
    public static AccuracyRecipe Paper { get; } = new("paper", Augmentation.None, 0, CheckpointSelection.Last, 0,
        LearningRateSchedule.Constant, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    /// <summary>
    /// LabelFree's defaults: symmetric and intensity-jittered patches, batch-norm statistics recomputed for every
    /// checkpoint, a held-out strip choosing the weights by r, a cosine schedule.
    /// </summary>
    public static AccuracyRecipe Improved { get; } = new("labelfree", Augmentation.Recommended, 0.15, CheckpointSelection.HighestValidationCorrelation, 32,
        LearningRateSchedule.Cosine, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    public TrainingOptions Apply(TrainingOptions options) => options with
    {
        Augmentation = Augmentation,
        ValidationShare = ValidationShare,
        Selection = Selection,
        BatchNormPatches = BatchNormPatches,
        Schedule = Schedule,
        Loss = Loss,
    };
}
