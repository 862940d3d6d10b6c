using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.Tests.Models;

public class FnetFlopsTests
{
    [Fact]
    public void The_paper_3d_network_costs_about_459_thousand_flop_per_voxel()
    {
        var shape = new VolumeShape(32, 64, 64);

        var perVoxel = (double)FnetFlops.Forward(FnetArchitecture.Paper3D, shape) / shape.VoxelCount;

        Assert.InRange(perVoxel, 459_000 * 0.98, 459_000 * 1.02);
    }

    [Fact]
    public void A_48_by_240_by_368_stack_costs_about_1_95_teraflop()
    {
        var flops = FnetFlops.Forward(FnetArchitecture.Paper3D, new VolumeShape(48, 240, 368));

        Assert.InRange(flops, 1.95e12 * 0.98, 1.95e12 * 1.02);
    }

    [Fact]
    public void The_paper_2d_network_costs_about_376_thousand_flop_per_pixel_and_planes_add_up()
    {
        var onePlane = FnetFlops.Forward(FnetArchitecture.Paper2D, new VolumeShape(1, 256, 256));
        var fivePlanes = FnetFlops.Forward(FnetArchitecture.Paper2D, new VolumeShape(5, 256, 256));

        Assert.InRange(onePlane / (256.0 * 256.0), 376_000 * 0.98, 376_000 * 1.02);
        Assert.Equal(5 * onePlane, fivePlanes);
    }

    [Fact]
    public void A_depth_0_network_counts_its_three_convolutions_exactly()
    {
        // 1 -> 2 and 2 -> 2 k3 convs, then conv_out 2 -> 1, over 4x4x4 = 64 voxels:
        // (1*2 + 2*2 + 2*1) * 27 taps * 64 voxels = 13,824 multiply-accumulates = 27,648 FLOP.
        var flops = FnetFlops.Forward(FnetArchitecture.Paper3D with { Depth = 0, MultChan = 2 }, new VolumeShape(4, 4, 4));

        Assert.Equal(27_648, flops);
    }

    [Fact]
    public void A_shape_the_network_cannot_take_is_refused()
    {
        Assert.Throws<NetworkInputShapeException>(() => FnetFlops.Forward(FnetArchitecture.Paper3D, new VolumeShape(40, 64, 64)));
    }
}
