using LabelFree.Pipeline.Imaging;
using static TorchSharp.torch;

namespace LabelFree.Benchmarks;

/// <summary>The input the prediction benchmark runs on: seeded standard-normal noise, which is what a z-scored stack looks like to the network's arithmetic.</summary>
public static class BenchmarkStack
{
    public static Volume Create(VolumeShape shape, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var voxels = randn([shape.Z, shape.Y, shape.X], generator: generator).data<float>().ToArray();
        return new Volume(shape, voxels);
    }
}
