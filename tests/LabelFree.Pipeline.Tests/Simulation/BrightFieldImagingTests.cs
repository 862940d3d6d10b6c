using System.Numerics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class BrightFieldImagingTests
{
    private static readonly VoxelSize Voxel = VoxelSize.PaperIsotropic;

    [Fact]
    public void An_empty_sample_or_a_laterally_uniform_layer_gives_an_even_field()
    {
        var layer = new Volume(new VolumeShape(12, 30, 30));
        layer.Plane(5).Fill(0.02f);

        var empty = BrightFieldImaging.RelativeIntensity(new Volume(layer.Shape), Voxel, new BrightFieldOptics(), 1.337);
        var uniform = BrightFieldImaging.RelativeIntensity(layer, Voxel, new BrightFieldOptics { DryMassAbsorption = 0 }, 1.337);

        Assert.All(empty.Voxels, v => Assert.Equal(1f, v, 1e-5f));
        Assert.All(uniform.Voxels, v => Assert.Equal(1f, v, 1e-4f));
    }

    [Fact]
    public void A_pure_phase_object_is_invisible_in_focus_and_flips_contrast_through_focus()
    {
        var sample = Blob(plane: 10);
        var optics = new BrightFieldOptics { DryMassAbsorption = 0 };

        var stack = BrightFieldImaging.RelativeIntensity(sample, Voxel, optics, 1.337);

        var inFocus = stack[10, 32, 32] - 1;
        var above = stack[16, 32, 32] - 1;
        var below = stack[4, 32, 32] - 1;
        Assert.True(Math.Abs(above) > 0.01, $"Defocused contrast {above} is too weak to see.");
        Assert.True(above * below < 0, $"Contrast {above} above and {below} below focus have one sign.");
        Assert.Equal(-above, below, 1e-4);
        Assert.True(Math.Abs(inFocus) < 0.05 * Math.Abs(above), $"In focus {inFocus} vs defocused {above}.");
    }

    [Fact]
    public void An_absorbing_object_is_darkest_in_focus()
    {
        var sample = Blob(plane: 10);
        var optics = new BrightFieldOptics { DryMassAbsorption = 5 };

        var stack = BrightFieldImaging.RelativeIntensity(sample, Voxel, optics, 1.337);

        var inFocus = stack[10, 32, 32];
        var symmetric = (stack[16, 32, 32] + stack[4, 32, 32]) / 2;
        Assert.True(inFocus < 1 && inFocus < symmetric, $"In focus {inFocus}, mean of defocused {symmetric}.");
    }

    [Fact]
    public void The_plane_transform_puts_a_plane_wave_into_one_bin_and_its_inverse_returns_the_plane()
    {
        // The model's spectra rely on torch.fft's conventions: an unscaled forward transform, an inverse divided by n.
        var (height, width) = (12, 20);
        var wave = new Complex[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                wave[y * width + x] = Complex.Exp(new Complex(0, 2 * Math.PI * (3.0 * x / width + 2.0 * y / height)));
            }
        }

        var data = (Complex[])wave.Clone();
        BrightFieldImaging.Transform2D(data, height, width, inverse: false);

        for (var i = 0; i < data.Length; i++)
        {
            var expected = i == 2 * width + 3 ? height * width : 0;
            Assert.True((data[i] - expected).Magnitude < 1e-9, $"Bin {i} holds {data[i]}.");
        }

        BrightFieldImaging.Transform2D(data, height, width, inverse: true);
        Assert.All(Enumerable.Range(0, data.Length), i => Assert.True((data[i] - wave[i]).Magnitude < 1e-12, $"Sample {i} did not come back."));
    }

    /// <summary>
    /// A smooth Gaussian blob (sigma 0.5 µm, peak index excess 0.05) in one plane of a 20 x 64 x 64 volume. Smooth,
    /// so that its centre shows the transport-of-intensity behaviour rather than Fresnel fringes of a sharp edge.
    /// </summary>
    private static Volume Blob(int plane)
    {
        var sample = new Volume(new VolumeShape(20, 64, 64));
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var radiusSquared = Math.Pow((x - 32) * Voxel.X, 2) + Math.Pow((y - 32) * Voxel.Y, 2);
                sample[plane, y, x] = (float)(0.05 * Math.Exp(-0.5 * radiusSquared / 0.25));
            }
        }

        return sample;
    }
}
