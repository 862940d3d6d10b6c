using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>A way to train: the paper's, or LabelFree's improved one. Everything else (net, patches, budget) is the task's.</summary>
public sealed record AccuracyRecipe(string Name, Augmentation Augmentation, double ValidationShare, CheckpointSelection Selection,
    LearningRateSchedule Schedule, TrainingLoss Loss, string Normalisation)
{
    /// <summary>pytorch_fnet's: no augmentation, no validation of its own, the last weights, constant rate, MSE, z-score.</summary>
    public static AccuracyRecipe Paper { get; } = new("paper", Augmentation.None, 0, CheckpointSelection.Last,
        LearningRateSchedule.Constant, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    /// <summary>LabelFree's defaults: symmetric and intensity-jittered patches, a held-out strip choosing the best weights.</summary>
    public static AccuracyRecipe Improved { get; } = new("labelfree", Augmentation.Recommended, 0.15, CheckpointSelection.LowestValidationLoss,
        LearningRateSchedule.Constant, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    public TrainingOptions Apply(TrainingOptions options) => options with
    {
        Augmentation = Augmentation,
        ValidationShare = ValidationShare,
        Selection = Selection,
        Schedule = Schedule,
        Loss = Loss,
    };
}
