using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// Predicts one structure from one transmitted-light volume with a loaded model bundle, on the input's
/// own grid: normalise as the model was trained (z-score by default), resample to the model's voxel size, pad
/// (or crop) to the U-Net's size step, predict (tiled when large; with test-time augmentation, the mean over the
/// 8 YX symmetries), then undo the padding and resample back, so the result overlays the input voxel for voxel.
/// Values are in the model's units (normalised target intensities: z-scores by default).
/// </summary>
public sealed class StructurePredictor : IDisposable
{
    private readonly ModelBundle _bundle;
    private readonly TiledPredictor _predictor;
    private readonly GridAdjustmentMode _adjustment;

    /// <param name="bundle">The model; the predictor takes ownership and disposes it.</param>
    /// <param name="options">Tiling, precision and threads.</param>
    /// <param name="adjustment">Reflect-pad (default: every voxel predicted) or centre-crop (the paper's 3D prediction).</param>
    public StructurePredictor(ModelBundle bundle, PredictionOptions? options = null, GridAdjustmentMode adjustment = GridAdjustmentMode.ReflectPad)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _bundle = bundle;
        _adjustment = adjustment;
        _predictor = new TiledPredictor(bundle.Network, options);
    }

    public ModelManifest Manifest => _bundle.Manifest;

    public string Structure => Manifest.Structure;

    /// <summary>The grid the model expects for an input of the given voxel size.</summary>
    public ModelGrid Grid
    {
        get
        {
            var network = Manifest.Network;
            var multiple = network.SpatialMultiple;
            if (network.Dimensions == 3)
            {
                return new ModelGrid(Manifest.VoxelSize, multiple, _adjustment, SpatialAxes.All);
            }

            // A 2D model knows only its pixel size; Z (planes) is never resampled or padded, so its Z entry is unused.
            VoxelSize? pixel = Manifest.PixelSizeMicrometres is { } p ? new VoxelSize(1, p, p) : null;
            return new ModelGrid(pixel, multiple, _adjustment, SpatialAxes.YX);
        }
    }

    /// <summary>Predicts <paramref name="input"/> (one channel, one time point).</summary>
    /// <param name="inputVoxelSize">The input's voxel size in µm, or null when unknown (then the input is used at its own sampling).</param>
    /// <exception cref="NonFinitePredictionException">The prediction holds NaN or infinite voxels: it never leaves the predictor.</exception>
    public StructurePrediction Predict(Volume input, VoxelSize? inputVoxelSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.CountNonFinite() is var nonFiniteInput and > 0)
        {
            throw new ArgumentException($"The input holds {nonFiniteInput} NaN or infinite voxels; readers refuse such images, so this is a caller's mistake.", nameof(input));
        }

        var clock = Stopwatch.StartNew();
        var mapping = ModelGridMapping.Plan(input.Shape, inputVoxelSize, Grid);
        var modelInput = mapping.ToModelGrid(input, Manifest.Normalisation);
        // Scored as the network sees it: normalised, on the model's grid, as the training inputs were described.
        var distribution = Manifest.InputDistribution?.Score(modelInput);
        var preprocess = clock.Elapsed;

        clock.Restart();
        var modelOutput = _predictor.Options.TestTimeAugmentation
            ? PredictAugmented(modelInput, cancellationToken)
            : _predictor.Predict(modelInput, cancellationToken);
        var inference = clock.Elapsed;

        clock.Restart();
        var output = mapping.ToInputGrid(modelOutput);
        var restore = clock.Elapsed;
        var nonFinite = output.CountNonFinite();
        if (nonFinite > 0)
        {
            throw new NonFinitePredictionException(Structure, Manifest.Name, nonFinite, output.Shape.VoxelCount);
        }

        return new StructurePrediction(Structure, output, mapping.ModelShape, mapping.ResamplingDecision, preprocess, inference, restore, distribution);
    }

    // The padded model-grid input has Y and X multiples of the size step, so every transposed copy fits the network too.
    private Volume PredictAugmented(Volume modelInput, CancellationToken cancellationToken)
    {
        var sum = new double[modelInput.Voxels.Length];
        foreach (var transform in DihedralTransform.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prediction = transform.IsIdentity
                ? _predictor.Predict(modelInput, cancellationToken)
                : transform.Invert(_predictor.Predict(transform.Apply(modelInput), cancellationToken));
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += prediction.Voxels[i];
            }
        }

        var mean = new float[sum.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            mean[i] = (float)(sum[i] / DihedralTransform.All.Count);
        }

        return new Volume(modelInput.Shape, mean);
    }

    public void Dispose()
    {
        _predictor.Dispose();
        _bundle.Dispose();
    }
}
