using LabelFree.Pipeline.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>Flat patch voxels as the network's input tensor: (N, 1, Y, X) for a 2D net, (N, 1, Z, Y, X) for a 3D one.</summary>
public static class PatchTensors
{
    public static Tensor Of(float[] voxels, int count, VolumeShape patch, int dimensions)
    {
        long[] shape = dimensions == 2 ? [count, 1, patch.Y, patch.X] : [count, 1, patch.Z, patch.Y, patch.X];
        return torch.tensor(voxels, shape);
    }
}
