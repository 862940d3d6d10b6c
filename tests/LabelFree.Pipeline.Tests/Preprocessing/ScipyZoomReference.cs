using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Preprocessing;

/// <summary>The inputs behind the scipy outputs in ScipyZoomReference.g.cs (see scipy_zoom_reference.py).</summary>
internal static partial class ScipyZoomReference
{
    /// <summary>Same values as sample_values() in the script: multiples of 1/8, exact in float32.</summary>
    public static Volume Input(int[] shape)
    {
        var volumeShape = Shape(shape);
        var voxels = new float[volumeShape.VoxelCount];
        for (long i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (float)((i * 7919 % 101) / 8.0 - 6.0);
        }

        return new Volume(volumeShape, voxels);
    }

    public static VolumeShape Shape(int[] shape) => new(shape[0], shape[1], shape[2]);
}
