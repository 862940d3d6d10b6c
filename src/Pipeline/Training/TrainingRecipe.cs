using System.Text.Json.Serialization;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// How to train, apart from the network, the patches and the budget: the paper's recipe, or the one LabelFree
/// recommends (the defaults of <c>labelfree train</c>; the accuracy benchmark compares the two).
/// </summary>
/// <param name="Normalisation">An <see cref="InputNormalisation"/> name, recorded in the bundle.</param>
/// <param name="WeightAverageDecay">
/// <see cref="TrainingOptions.WeightAverageDecay"/>. Left out of the recipe's JSON when 0, so records of recipes
/// written before it existed (the accuracy benchmark's run keys) still describe the same recipe.
/// </param>
public sealed record TrainingRecipe(string Name, Augmentation Augmentation, double ValidationShare, CheckpointSelection Selection,
    int BatchNormPatches, LearningRateSchedule Schedule, TrainingLoss Loss, string Normalisation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double WeightAverageDecay = 0)
{
    /// <summary>pytorch_fnet's: no augmentation, no validation of its own, the last weights, running batch-norm averages, constant rate, MSE, z-score.</summary>
    public static TrainingRecipe Paper { get; } = new("paper", Augmentation.None, 0, CheckpointSelection.Last, 0,
        LearningRateSchedule.Constant, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    /// <summary>
    /// LabelFree's: symmetric and intensity-jittered patches, batch-norm statistics recomputed for every
    /// checkpoint, a held-out strip choosing the weights by r, a cosine schedule (the README's training section
    /// gives the benchmark's figures).
    /// </summary>
    public static TrainingRecipe Recommended { get; } = new("labelfree", Augmentation.Recommended, 0.15, CheckpointSelection.HighestValidationCorrelation, 32,
        LearningRateSchedule.Cosine, TrainingLoss.MeanSquaredError, InputNormalisation.ZScore);

    /// <summary><paramref name="options"/> with this recipe's choices (the normalisation goes in the training plan).</summary>
    public TrainingOptions Apply(TrainingOptions options) => options with
    {
        Augmentation = Augmentation,
        ValidationShare = ValidationShare,
        Selection = Selection,
        BatchNormPatches = BatchNormPatches,
        Schedule = Schedule,
        Loss = Loss,
        WeightAverageDecay = WeightAverageDecay,
    };
}
