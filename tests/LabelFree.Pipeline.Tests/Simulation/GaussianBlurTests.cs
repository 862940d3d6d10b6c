using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class GaussianBlurTests
{
    [Fact]
    public void A_flat_volume_stays_flat_up_to_its_edges()
    {
        var flat = new Volume(new VolumeShape(5, 9, 11), Enumerable.Repeat(3.5f, 5 * 9 * 11).ToArray());

        var blurred = GaussianBlur.Apply(flat, 2, 3, 4);

        Assert.All(blurred.Voxels, v => Assert.Equal(3.5f, v, 1e-5f));
    }

    [Fact]
    public void An_impulse_spreads_with_the_requested_sigma_on_each_axis_and_keeps_its_sum()
    {
        var impulse = new Volume(new VolumeShape(31, 41, 51));
        impulse[15, 20, 25] = 1;

        var blurred = GaussianBlur.Apply(impulse, 1.5, 2.5, 3.5);

        double sum = 0, zz = 0, yy = 0, xx = 0;
        for (var z = 0; z < 31; z++)
        {
            for (var y = 0; y < 41; y++)
            {
                for (var x = 0; x < 51; x++)
                {
                    var w = blurred[z, y, x];
                    sum += w;
                    zz += w * (z - 15) * (z - 15);
                    yy += w * (y - 20) * (y - 20);
                    xx += w * (x - 25) * (x - 25);
                }
            }
        }

        Assert.Equal(1, sum, 5);
        Assert.Equal(1.5 * 1.5, zz / sum, 1);
        Assert.Equal(2.5 * 2.5, yy / sum, 1);
        Assert.Equal(3.5 * 3.5, xx / sum, 1);
        Assert.Equal(0f, impulse[15, 20, 24]);
    }

    [Fact]
    public void An_edge_keeps_its_level_because_the_border_reflects()
    {
        // A step at the last column: a reflecting border sees the step's value beyond the edge, so the edge column
        // only mixes with its inner neighbours and stays above the middle of the step.
        var step = new Volume(new VolumeShape(3, 5, 9));
        for (var i = 0; i < step.Voxels.Length; i++)
        {
            step.Voxels[i] = i % 9 >= 6 ? 1 : 0;
        }

        var blurred = GaussianBlur.Apply(step, 1, 1, 1);

        Assert.All(Enumerable.Range(0, 3), z => Assert.Equal(blurred[z, 2, 8], blurred[1, 2, 8], 1e-6f));
        Assert.True(blurred[1, 2, 8] > 0.9f, $"Edge voxel {blurred[1, 2, 8]} darkened.");
        Assert.True(blurred[1, 2, 0] < 0.01f, $"Far edge {blurred[1, 2, 0]} picked up light.");
    }

    [Fact]
    public void A_zero_sigma_leaves_that_axis_untouched()
    {
        var impulse = new Volume(new VolumeShape(1, 7, 7));
        impulse[0, 3, 3] = 1;

        var blurred = GaussianBlur.Apply(impulse, 0, 0, 1);

        Assert.Equal(0f, blurred[0, 2, 3]);
        Assert.True(blurred[0, 3, 2] > 0.2f);
    }
}
