using LabelFree.Pipeline.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Validation on strips held out of the training images themselves: the high-X end of every training volume
/// (a share of its width, rounded up to the network's size step) is never cut into training patches and is
/// predicted whole at every checkpoint. With one or two training fields there is nothing else to validate on
/// without touching the test data, and a whole strip measures what a user sees: the prediction of unseen
/// cells, not of patches overlapping the training ones.
/// </summary>
public sealed class ValidationRegions : IValidationSet
{
    private readonly IReadOnlyList<TrainingVolumes> _regions;
    private readonly int _dimensions;

    private ValidationRegions(IReadOnlyList<TrainingVolumes> regions, int dimensions)
    {
        _regions = regions;
        _dimensions = dimensions;
    }

    public int Count => _regions.Count;

    /// <summary>
    /// Splits every volume into the part training patches are cut from and the held-out strip.
    /// </summary>
    /// <param name="multiple">The network's size step (2^depth): the strip is predicted whole, so its shape must be a multiple of it.</param>
    /// <exception cref="TrainingDataException">A volume is too small to give both a training patch and a strip.</exception>
    public static (IReadOnlyList<TrainingVolumes> Training, ValidationRegions Validation) Split(
        IReadOnlyList<TrainingVolumes> volumes, double share, int multiple, VolumeShape patch, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        var training = new List<TrainingVolumes>(volumes.Count);
        var regions = new List<TrainingVolumes>(volumes.Count);
        foreach (var image in volumes)
        {
            var (train, region) = Split(image, share, multiple, patch, dimensions);
            training.Add(train);
            regions.Add(region);
        }

        return (training, new ValidationRegions(regions, dimensions));
    }

    private static (TrainingVolumes Training, TrainingVolumes Region) Split(TrainingVolumes volumes, double share, int multiple, VolumeShape patch, int dimensions)
    {
        var shape = volumes.Shape;
        var width = Math.Max(multiple, (int)Math.Ceiling(shape.X * share / multiple) * multiple);
        var depth = dimensions == 2 ? shape.Z : shape.Z / multiple * multiple;
        var height = shape.Y / multiple * multiple;
        if (shape.X - width < patch.X || depth == 0 || height == 0)
        {
            throw new TrainingDataException(volumes.Name,
                $"the image is {shape} (ZYX) on the model grid: too small to hold out a validation strip {width} wide and still cut {patch} patches; " +
                "lower the validation share, use a smaller patch or larger images");
        }

        var trainShape = shape with { X = shape.X - width };
        var regionOrigin = ((shape.Z - depth) / 2, (shape.Y - height) / 2, shape.X - width);
        var regionShape = new VolumeShape(depth, height, width);
        return (
            new TrainingVolumes(volumes.Name, Crop(volumes.Signal, (0, 0, 0), trainShape), Crop(volumes.Target, (0, 0, 0), trainShape)),
            new TrainingVolumes(volumes.Name, Crop(volumes.Signal, regionOrigin, regionShape), Crop(volumes.Target, regionOrigin, regionShape)));
    }

    public ValidationMeasurement Measure(nn.Module<Tensor, Tensor> network, TrainingLoss loss)
    {
        var parts = new List<ValidationMeasurement>(_regions.Count);
        foreach (var region in _regions)
        {
            using var scope = NewDisposeScope();
            var shape = region.Shape;
            var prediction = network.forward(PatchTensors.Of(region.Signal.Voxels, 1, shape, _dimensions));
            parts.Add(ValidationMeasurement.Of(prediction, PatchTensors.Of(region.Target.Voxels, 1, shape, _dimensions), loss));
        }

        return ValidationMeasurement.Mean(parts);
    }

    private static Volume Crop(Volume source, (int Z, int Y, int X) origin, VolumeShape shape)
    {
        var result = new float[checked((int)shape.VoxelCount)];
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                var from = ((origin.Z + z) * source.Height + origin.Y + y) * source.Width + origin.X;
                source.Voxels.AsSpan(from, shape.X).CopyTo(result.AsSpan((z * shape.Y + y) * shape.X, shape.X));
            }
        }

        return new Volume(shape, result);
    }
}
