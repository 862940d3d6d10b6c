using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// Scores a structure model on (signal, target) pairs the way the paper does: predict each signal on its
/// own grid, then Pearson r against the target voxel-wise over the whole image; with a noise level from
/// control images, also each target's C_max.
/// </summary>
public static class ModelEvaluation
{
    /// <param name="noiseVariance">⟨N²⟩ from <see cref="ControlImages.NoiseVariance"/>, in the targets' raw units; null: no C_max.</param>
    public static EvaluationReport Evaluate(StructurePredictor predictor, IReadOnlyList<ImagePair> pairs, double? noiseVariance = null,
        IProgress<ImageEvaluation>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(pairs);
        var images = new List<ImageEvaluation>();
        var ceilings = new List<CorrelationCeiling>();
        foreach (var pair in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = pair.Load();
            var prediction = predictor.Predict(loaded.Signal, loaded.VoxelSize, cancellationToken);
            var evaluation = Score(loaded, prediction.Volume, noiseVariance, out var ceiling);
            if (ceiling is not null)
            {
                ceilings.Add(ceiling);
            }

            images.Add(evaluation);
            progress?.Report(evaluation);
        }

        var manifest = predictor.Manifest;
        return EvaluationReport.Of(manifest.Structure, manifest.Name, manifest.Weights?.Sha256, images, noiseVariance,
            noiseVariance is null ? null : ceilings);
    }

    /// <summary>r between a prediction and the pair's target (raw intensities: r does not depend on the z-score), and C_max.</summary>
    public static ImageEvaluation Score(LoadedImagePair pair, Volume prediction, double? noiseVariance, out CorrelationCeiling? ceiling)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var correlation = PearsonCorrelation.Between(prediction, pair.Target);
        ceiling = noiseVariance is { } noise ? CorrelationCeiling.ForTarget(pair.Target, noise) : null;
        return new ImageEvaluation(pair.Name, correlation.R, correlation.UndefinedReason, ceiling?.CMax);
    }
}
