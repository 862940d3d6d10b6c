using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;
using static LabelFree.Pipeline.Tests.Simulation.VoxelStatistics;

namespace LabelFree.Pipeline.Tests.Simulation;

public class PoissonGaussianCameraTests
{
    private static readonly PoissonGaussianCamera Camera = new() { CountsPerPhoton = 2, ReadNoiseCounts = 5, OffsetCounts = 100 };

    [Fact]
    public void An_exposure_has_mean_offset_plus_gain_times_photons_and_variance_gain_squared_photons_plus_read_noise()
    {
        var photons = new Volume(new VolumeShape(4, 100, 100), Enumerable.Repeat(50f, 40_000).ToArray());

        var counts = Camera.Expose(photons, 9).Voxels;

        Assert.Equal(100 + 2 * 50, Mean(counts), 0);
        Assert.InRange(Variance(counts) / (4 * 50 + 25), 0.97, 1.03);
        Assert.All(Camera.ExpectedCounts(photons).Voxels, c => Assert.Equal(200f, c));
    }

    [Fact]
    public void Exposures_repeat_with_their_seed_whatever_the_thread_schedule()
    {
        var photons = new Volume(new VolumeShape(8, 64, 64), Enumerable.Range(0, 8 * 64 * 64).Select(i => (float)(i % 300)).ToArray());

        var first = Camera.Expose(photons, 3).Voxels;

        Assert.Equal(first, Camera.Expose(photons, 3).Voxels);
        Assert.NotEqual(first, Camera.Expose(photons, 4).Voxels);
    }
}
