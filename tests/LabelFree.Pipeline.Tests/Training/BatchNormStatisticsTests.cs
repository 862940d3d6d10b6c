using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Training;

public class BatchNormStatisticsTests
{
    private static readonly VolumeShape Patch = new(2, 4, 4);

    // Columns alternate between 1 and 5, so every 4-wide window holds as many of each: every patch has mean 3
    // and (biased) variance 4, wherever it is cut.
    private static TrainingVolumes Stripes()
    {
        var shape = new VolumeShape(4, 9, 9);
        var signal = new Volume(shape);
        for (var v = 0; v < signal.Voxels.Length; v++)
        {
            signal.Voxels[v] = v % shape.X % 2 == 0 ? 1f : 5f;
        }

        return new TrainingVolumes("stripes", signal, signal);
    }

    [Fact]
    public void Statistics_become_the_equal_weight_average_over_training_batches_and_nothing_else_changes()
    {
        var sampler = new BufferedPatchSampler(1, _ => Stripes(), Patch, bufferSize: 1, switchEvery: 0, seed: 3);
        var before = sampler.Position;
        var norm = nn.BatchNorm3d(1);
        using var network = nn.Sequential(("norm", norm));
        norm.running_mean!.fill_(-7);
        norm.running_var!.fill_(11);
        network.eval();

        BatchNormStatistics.Recompute(network, sampler, patches: 5, batchSize: 2, dimensions: 3);

        // An exponential average from the reset state (mean 0, momentum 0.1) would reach 0.81, not 3.
        Assert.Equal(3.0, norm.running_mean!.item<float>(), 5);
        var perBatch = 2 * Patch.VoxelCount;
        Assert.Equal(4.0 * perBatch / (perBatch - 1), norm.running_var!.item<float>(), 5);
        Assert.Equal(0.1, norm.momentum);
        Assert.False(network.training);
        Assert.Equal(before.RandomState, sampler.Position.RandomState);
        Assert.Equal(before.PatchesDrawn, sampler.Position.PatchesDrawn);
    }
}
