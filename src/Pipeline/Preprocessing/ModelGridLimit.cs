using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// The size an input reaches on a model's grid, checked before anything is resampled. Voxel sizes come from files
/// and messages: a tiny one beside the model's turns a small stack into a grid of many gigabytes (or of more voxels
/// than an int counts), a huge one into less than one voxel. The voxel cap that bounds the file must bound this too.
/// </summary>
public static class ModelGridLimit
{
    /// <summary>Plans the mapping of one input volume onto <paramref name="model"/>'s grid, within the cap.</summary>
    /// <param name="maxVoxels">The most voxels one volume may have on the model's grid (resampled and padded).</param>
    /// <param name="source">The input, as the exception names it.</param>
    /// <exception cref="ImageFileException">
    /// <see cref="ImageProblem.TooLarge"/> when the model grid exceeds the cap, <see cref="ImageProblem.EmptyDimension"/>
    /// when an axis would shrink below one voxel (or below the model's size step, when it crops).
    /// </exception>
    public static ModelGridMapping Check(VolumeShape inputShape, VoxelSize? inputVoxelSize, ModelGrid model, long maxVoxels, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        var limit = Math.Min(maxVoxels, Array.MaxLength);
        if (inputVoxelSize is { } from && model.VoxelSize is { } to && from.IsValid && to.IsValid)
        {
            // In doubles first: the exact sizes cannot overflow, and an infinite or NaN ratio fails the comparison.
            var z = Length(inputShape.Z, from.Z, to.Z, model.Axes.HasFlag(SpatialAxes.Z));
            var y = Length(inputShape.Y, from.Y, to.Y, model.Axes.HasFlag(SpatialAxes.Y));
            var x = Length(inputShape.X, from.X, to.X, model.Axes.HasFlag(SpatialAxes.X));
            var voxels = z * y * x;
            if (!(voxels <= limit && z <= int.MaxValue && y <= int.MaxValue && x <= int.MaxValue))
            {
                throw new ImageFileException(source, ImageProblem.TooLarge, FormattableString.Invariant(
                    $"resampling {inputShape} voxels of {from} µm to the model's {to} µm gives about {z:0}x{y:0}x{x:0} = {voxels:G4} voxels, over the limit of {limit}; check the voxel size."));
            }
        }

        ModelGridMapping mapping;
        try
        {
            mapping = ModelGridMapping.Plan(inputShape, inputVoxelSize, model);
        }
        catch (ArgumentException error)
        {
            // The volume shrinks below one voxel on an axis, or below the size step a cropping model needs.
            throw new ImageFileException(source, ImageProblem.EmptyDimension, $"on the model's grid: {error.Message}", error);
        }

        if (mapping.ModelShape.VoxelCount > limit)
        {
            throw new ImageFileException(source, ImageProblem.TooLarge, FormattableString.Invariant(
                $"on the model's grid the volume is {mapping.ModelShape} = {mapping.ModelShape.VoxelCount} voxels, over the limit of {limit}."));
        }

        return mapping;
    }

    private static double Length(int length, double from, double to, bool resampled) =>
        resampled && !Resampling.SameSize(from, to) ? length * (from / to) : length;
}
