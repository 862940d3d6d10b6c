using System.Globalization;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Everything between an input volume and a model, and back: z-score, resample to the model's voxel size,
/// pad or crop to the U-Net's size step; then, for the model's output, undo the pad or crop and resample
/// onto the input grid, so the prediction has exactly the input's shape.
/// </summary>
public sealed class ModelGridMapping
{
    private ModelGridMapping(VolumeShape inputShape, VoxelSize? inputVoxelSize, ModelGrid model,
        VolumeShape resampledShape, GridAdjustment adjustment, string resamplingDecision)
    {
        InputShape = inputShape;
        InputVoxelSize = inputVoxelSize;
        Model = model;
        ResampledShape = resampledShape;
        Adjustment = adjustment;
        ResamplingDecision = resamplingDecision;
    }

    public VolumeShape InputShape { get; }

    /// <summary>The input's voxel size, or null when the file did not record one.</summary>
    public VoxelSize? InputVoxelSize { get; }

    public ModelGrid Model { get; }

    /// <summary>The shape after resampling, before padding or cropping.</summary>
    public VolumeShape ResampledShape { get; }

    public GridAdjustment Adjustment { get; }

    /// <summary>The shape the network sees.</summary>
    public VolumeShape ModelShape => Adjustment.AdjustedShape;

    public bool Resamples => ResampledShape != InputShape;

    /// <summary>
    /// What was decided about resampling and why, in words for logs and result metadata; it says so plainly
    /// when the input's voxel size is unknown and the model therefore sees the input at its own sampling.
    /// </summary>
    public string ResamplingDecision { get; }

    /// <summary>Plans the mapping for an input of <paramref name="inputShape"/>; nothing is computed yet.</summary>
    /// <exception cref="ArgumentException">The input is too small to resample, or to crop, for this model.</exception>
    public static ModelGridMapping Plan(VolumeShape inputShape, VoxelSize? inputVoxelSize, ModelGrid model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (resampledShape, decision) = (inputVoxelSize, model.VoxelSize) switch
        {
            (_, null) => (inputShape, "Not resampled: the model was trained on images used at their own sampling."),
            (null, { } target) => (inputShape, $"Not resampled: the input's voxel size is unknown, so the model sees it at its own sampling (right only if it was acquired at {target})."),
            ({ } from, { } target) => Resampled(inputShape, from, target, model.Axes),
        };

        var adjustment = GridAdjustment.Plan(resampledShape, model.Adjustment, model.Multiple, model.Axes);
        return new ModelGridMapping(inputShape, inputVoxelSize, model, resampledShape, adjustment, decision);
    }

    /// <summary>
    /// The volume the network consumes: normalised as the model was trained (<see cref="InputNormalisation"/>),
    /// resampled, padded or cropped to <see cref="ModelShape"/>.
    /// </summary>
    /// <remarks>
    /// Normalisation comes first, on the input grid, as in the reference (normalise, then resize): the trained
    /// weights expect exactly that, and resampling slightly lowers the variance, so the order matters.
    /// </remarks>
    /// <exception cref="ConstantImageException">The input holds a single value.</exception>
    public Volume ToModelGrid(Volume input, string normalisation = InputNormalisation.ZScore)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireShape(input, InputShape, "input");
        var normalised = InputNormalisation.Apply(input, normalisation);
        var resampled = Resampling.Resample(normalised, ResampledShape);
        return Adjustment.Apply(resampled);
    }

    /// <summary>
    /// Maps a volume on the model grid (the network's output) onto the input grid: same shape as the input,
    /// voxel for voxel. Values stay in the network's units (z-scores); cropped margins hold
    /// <see cref="GridAdjustment.CroppedMarginValue"/> before resampling.
    /// </summary>
    public Volume ToInputGrid(Volume modelResult)
    {
        ArgumentNullException.ThrowIfNull(modelResult);
        RequireShape(modelResult, ModelShape, "model");
        var unadjusted = Adjustment.Invert(modelResult);
        return Resampling.Resample(unadjusted, InputShape);
    }

    private static (VolumeShape Shape, string Decision) Resampled(VolumeShape shape, VoxelSize from, VoxelSize to, SpatialAxes axes)
    {
        var resampled = Resampling.ResampledShape(shape, from, to, axes);
        var decision = resampled == shape
            ? string.Create(CultureInfo.InvariantCulture, $"Not resampled: the input's voxel size {from} already gives the model's {to}.")
            : string.Create(CultureInfo.InvariantCulture, $"Resampled from {from} to {to}: {shape} -> {resampled} voxels (ZYX).");
        return (resampled, decision);
    }

    private static void RequireShape(Volume volume, VolumeShape expected, string grid)
    {
        if (volume.Shape != expected)
        {
            throw new ArgumentException($"Expected a volume on the {grid} grid {expected}, got {volume.Shape}.", nameof(volume));
        }
    }
}
