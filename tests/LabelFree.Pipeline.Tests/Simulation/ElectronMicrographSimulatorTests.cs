using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;
using static LabelFree.Pipeline.Tests.Simulation.VoxelStatistics;

namespace LabelFree.Pipeline.Tests.Simulation;

public class ElectronMicrographSimulatorTests
{
    private static readonly ElectronMicrographScene Scene = new() { Width = 256, Height = 256, PixelSizeMicrometres = 0.02, Seed = 3 };

    [Fact]
    public void The_same_seed_gives_identical_images_and_another_seed_does_not()
    {
        var small = Scene with { Width = 96, Height = 96 };
        var first = new ElectronMicrographSimulator(small).Simulate();
        var again = new ElectronMicrographSimulator(small).Simulate();
        var other = new ElectronMicrographSimulator(small with { Seed = 4 }).Simulate();

        Assert.Equal(first.ElectronMicrograph.Voxels, again.ElectronMicrograph.Voxels);
        Assert.Equal(first.Immunofluorescence.Voxels, again.Immunofluorescence.Voxels);
        Assert.NotEqual(first.ElectronMicrograph.Voxels, other.ElectronMicrograph.Voxels);
    }

    [Fact]
    public void Both_images_share_one_grid_of_the_requested_size_and_pixel_size()
    {
        var pair = new ElectronMicrographSimulator(Scene with { Width = 120, Height = 80, PixelSizeMicrometres = 0.03 }).Simulate();

        var expected = new VolumeShape(1, 80, 120);
        Assert.Equal(expected, pair.ElectronMicrograph.Shape);
        Assert.Equal(expected, pair.Immunofluorescence.Shape);
        Assert.Equal(expected, pair.ImmunofluorescenceNoiseFree.Shape);
        Assert.Equal(expected, pair.Myelin.Shape);
        Assert.Equal(0.03, pair.PixelSizeMicrometres);
        Assert.All(pair.ElectronMicrograph.Voxels, v => Assert.InRange(v, 0f, 255f));
    }

    [Fact]
    public void Immunofluorescence_is_bright_where_the_micrograph_shows_dark_myelin_rings()
    {
        var pair = new ElectronMicrographSimulator(Scene).Simulate();
        var pixels = Scene.PixelSizeMicrometres;

        // Myelin is the only thick dark structure: after a slight blur thin membranes average out, rings stay dark.
        var smoothed = GaussianBlur.Apply(pair.ElectronMicrograph, 0, 0.03 / pixels, 0.03 / pixels);
        var rings = new Volume(smoothed.Shape, smoothed.Voxels.Select(v => v < 0.3f * 255 ? 1f : 0f).ToArray());
        Assert.InRange(Mean(rings.Voxels), 0.01, 0.5);
        var expectedLight = GaussianBlur.Apply(rings, 0, 0.15 / pixels, 0.15 / pixels);
        var shifted = Shift(expectedLight, (int)(0.6 / pixels));

        var aligned = Pearson(pair.Immunofluorescence.Voxels, expectedLight.Voxels);
        Assert.InRange(aligned, 0.5, 1);
        Assert.InRange(Pearson(pair.Immunofluorescence.Voxels, shifted.Voxels), -1, aligned - 0.3);
    }

    [Fact]
    public void The_micrograph_is_dark_on_the_true_myelin_and_light_elsewhere()
    {
        var pair = new ElectronMicrographSimulator(Scene).Simulate();

        var em = pair.ElectronMicrograph.Voxels;
        var myelin = pair.Myelin.Voxels;
        var onMyelin = em.Where((_, i) => myelin[i] > 0.95f).ToArray();
        var offMyelin = em.Where((_, i) => myelin[i] < 0.01f).ToArray();

        Assert.NotEmpty(onMyelin);
        Assert.InRange(Mean(onMyelin), 0, 0.5 * Mean(offMyelin));
    }

    [Fact]
    public void Immunofluorescence_noise_is_poisson_shot_noise_plus_read_noise()
    {
        var pair = new ElectronMicrographSimulator(Scene).Simulate();
        var camera = Scene.Immunofluorescence.Camera;

        var expectedPhotons = pair.ImmunofluorescenceNoiseFree.Voxels
            .Select(c => (c - camera.OffsetCounts) / camera.CountsPerPhoton).Average();
        var predicted = camera.CountsPerPhoton * camera.CountsPerPhoton * expectedPhotons + camera.ReadNoiseCounts * camera.ReadNoiseCounts;

        var measured = VarianceOfDifference(pair.Immunofluorescence.Voxels, pair.ImmunofluorescenceNoiseFree.Voxels);
        Assert.InRange(measured / predicted, 0.95, 1.05);
    }

    private static Volume Shift(Volume image, int columns)
    {
        var shifted = new Volume(image.Shape);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                shifted[0, y, x] = image[0, y, (x + columns) % image.Width];
            }
        }

        return shifted;
    }
}
