using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Floating-point operations of one fnet forward pass, counted from the layer shapes: 2 x the
/// multiply-accumulates of every convolution and transposed convolution. Bias adds, batch norm and
/// ReLU are left out (each is a few FLOP per voxel and channel, under 1 % of the total).
/// The paper's 3D net costs about 459 k FLOP per voxel; its 2D net about 376 k FLOP per pixel.
/// </summary>
public static class FnetFlops
{
    /// <summary>FLOPs to predict <paramref name="shape"/>; for a 2D network, Z counts the planes predicted one by one.</summary>
    public static long Forward(FnetArchitecture architecture, VolumeShape shape)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        int[] spatial = architecture.Dimensions == 3 ? [shape.Z, shape.Y, shape.X] : [shape.Y, shape.X];
        var planes = architecture.Dimensions == 3 ? 1L : shape.Z;
        if (planes <= 0 || spatial.Any(size => size <= 0 || size % architecture.SpatialMultiple != 0))
        {
            throw new NetworkInputShapeException(
                $"Shape {shape} is not a valid {architecture.Dimensions}D input for depth {architecture.Depth}: " +
                $"spatial sizes must be positive multiples of {architecture.SpatialMultiple}.");
        }

        long sizeKeepingTaps = architecture.Dimensions == 3 ? 27 : 9;
        long halvingTaps = architecture.Dimensions == 3 ? 8 : 4;
        long multiplyAccumulates = 0;
        long inChannels = architecture.InChannels;
        long channels = architecture.MultChan;
        for (var level = 0; level <= architecture.Depth; level++)
        {
            var voxels = VoxelsAtLevel(spatial, level);

            // Double conv on the way down: in -> c, c -> c.
            multiplyAccumulates += (inChannels * channels + channels * channels) * sizeKeepingTaps * voxels;
            if (level < architecture.Depth)
            {
                var voxelsBelow = VoxelsAtLevel(spatial, level + 1);

                // Down conv (c -> c, one output per 2^dims inputs) and transposed conv (2c -> c, every
                // input voxel spreads to 2^dims outputs): both cost taps x channels per coarse voxel.
                multiplyAccumulates += channels * channels * halvingTaps * voxelsBelow;
                multiplyAccumulates += 2 * channels * channels * halvingTaps * voxelsBelow;

                // Double conv on the way up: 2c -> c, c -> c.
                multiplyAccumulates += (2 * channels * channels + channels * channels) * sizeKeepingTaps * voxels;
            }

            inChannels = channels;
            channels *= 2;
        }

        multiplyAccumulates += architecture.MultChan * architecture.OutChannels * sizeKeepingTaps * VoxelsAtLevel(spatial, 0);
        return checked(2 * multiplyAccumulates * planes);
    }

    private static long VoxelsAtLevel(int[] spatial, int level) =>
        spatial.Aggregate(1L, (product, size) => product * (size >> level));
}
