using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

public class GridAdjustmentTests
{
    [Fact]
    public void Padding_odd_sizes_reaches_the_next_multiple_with_half_the_pad_before()
    {
        var plan = GridAdjustment.Plan(new VolumeShape(5, 17, 33), GridAdjustmentMode.ReflectPad);

        Assert.Equal(new VolumeShape(16, 32, 48), plan.AdjustedShape);
        Assert.Equal(new AxisAdjustment(5, 16, 5), plan.Z);   // 11 added: 5 before, 6 after
        Assert.Equal(new AxisAdjustment(17, 32, 7), plan.Y);  // 15 added: 7 before, 8 after
        Assert.Equal(new AxisAdjustment(33, 48, 7), plan.X);
    }

    [Fact]
    public void Reflect_padding_does_not_repeat_the_edge_voxel()
    {
        // numpy.pad([1, 2, 3, 4, 5], (1, 2), mode='reflect') == [2, 1, 2, 3, 4, 5, 4, 3]
        var line = new Volume(new VolumeShape(1, 1, 5), [1f, 2f, 3f, 4f, 5f]);
        var plan = GridAdjustment.Plan(line.Shape, GridAdjustmentMode.ReflectPad, multiple: 8, SpatialAxes.X);

        var padded = plan.Apply(line);

        Assert.Equal([2f, 1f, 2f, 3f, 4f, 5f, 4f, 3f], padded.Voxels);
    }

    [Fact]
    public void Reflect_padding_longer_than_the_axis_keeps_mirroring()
    {
        // Z = 3 padded to 16 (6 before, 7 after): numpy.pad([0, 1, 2], (6, 7), mode='reflect')
        // == [2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1].
        var stack = new Volume(new VolumeShape(3, 1, 1), [0f, 1f, 2f]);
        var plan = GridAdjustment.Plan(stack.Shape, GridAdjustmentMode.ReflectPad, axes: SpatialAxes.Z);

        var padded = plan.Apply(stack);

        Assert.Equal([2f, 1f, 0f, 1f, 2f, 1f, 0f, 1f, 2f, 1f, 0f, 1f, 2f, 1f, 0f, 1f], padded.Voxels);
    }

    [Fact]
    public void Reflect_padding_works_on_all_axes_at_once()
    {
        // 2 x 3 x 2 padded with multiple 4: Z (2 -> 4, offset 1), Y (3 -> 4, offset 0), X (2 -> 4, offset 1).
        var input = new Volume(new VolumeShape(2, 3, 2));
        for (var i = 0; i < input.Voxels.Length; i++)
        {
            input.Voxels[i] = i;
        }

        var plan = GridAdjustment.Plan(input.Shape, GridAdjustmentMode.ReflectPad, multiple: 4);
        var padded = plan.Apply(input);

        Assert.Equal(new VolumeShape(4, 4, 4), padded.Shape);
        int[] zSource = [1, 0, 1, 0];
        int[] ySource = [0, 1, 2, 1];
        int[] xSource = [1, 0, 1, 0];
        for (var z = 0; z < 4; z++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(input[zSource[z], ySource[y], xSource[x]], padded[z, y, x]);
                }
            }
        }
    }

    [Fact]
    public void A_2d_image_keeps_z_1_when_only_yx_are_adjusted()
    {
        var image = Numbered(new VolumeShape(1, 20, 7));

        var plan = GridAdjustment.Plan(image.Shape, GridAdjustmentMode.ReflectPad, axes: SpatialAxes.YX);
        var padded = plan.Apply(image);

        Assert.Equal(new VolumeShape(1, 32, 16), padded.Shape);
        Assert.Equal(AxisAdjustment.Unchanged(1), plan.Z);
        Assert.Equal(image.Voxels, plan.Invert(padded).Voxels);
    }

    [Fact]
    public void A_single_slice_padded_in_z_is_repeated()
    {
        var image = Numbered(new VolumeShape(1, 2, 2));

        var padded = GridAdjustment.Plan(image.Shape, GridAdjustmentMode.ReflectPad, multiple: 4, SpatialAxes.Z).Apply(image);

        Assert.Equal(new VolumeShape(4, 2, 2), padded.Shape);
        for (var z = 0; z < 4; z++)
        {
            Assert.Equal(image.Voxels, padded.Plane(z).ToArray());
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(6, 17, 31)]
    [InlineData(16, 32, 48)]
    [InlineData(3, 40, 9)]
    public void Pad_then_invert_returns_the_identical_voxels(int depth, int height, int width)
    {
        var input = Numbered(new VolumeShape(depth, height, width));
        var plan = GridAdjustment.Plan(input.Shape, GridAdjustmentMode.ReflectPad);

        var padded = plan.Apply(input);
        var restored = plan.Invert(padded);

        Assert.True(padded.Shape.Z % 16 == 0 && padded.Shape.Y % 16 == 0 && padded.Shape.X % 16 == 0);
        Assert.Equal(input.Shape, restored.Shape);
        Assert.Equal(input.Voxels, restored.Voxels);
    }

    [Fact]
    public void Centre_crop_keeps_the_middle_with_the_extra_voxel_cut_at_the_end()
    {
        var input = Numbered(new VolumeShape(20, 37, 50));

        var plan = GridAdjustment.Plan(input.Shape, GridAdjustmentMode.CentreCrop);
        var cropped = plan.Apply(input);

        Assert.Equal(new VolumeShape(16, 32, 48), cropped.Shape);
        Assert.Equal(new AxisAdjustment(20, 16, 2), plan.Z);
        Assert.Equal(new AxisAdjustment(37, 32, 2), plan.Y);  // 5 removed: 2 before, 3 after
        Assert.Equal(new AxisAdjustment(50, 48, 1), plan.X);
        Assert.Equal(input[2, 2, 1], cropped[0, 0, 0]);
        Assert.Equal(input[17, 33, 48], cropped[15, 31, 47]);
    }

    [Fact]
    public void Crop_then_invert_restores_the_kept_region_and_zero_fills_the_margins()
    {
        var input = Numbered(new VolumeShape(18, 35, 17));
        var plan = GridAdjustment.Plan(input.Shape, GridAdjustmentMode.CentreCrop);

        var restored = plan.Invert(plan.Apply(input));

        Assert.Equal(input.Shape, restored.Shape);
        for (var z = 0; z < 18; z++)
        {
            for (var y = 0; y < 35; y++)
            {
                for (var x = 0; x < 17; x++)
                {
                    var kept = z is >= 1 and < 17 && y is >= 1 and < 33 && x < 16;
                    Assert.Equal(kept ? input[z, y, x] : GridAdjustment.CroppedMarginValue, restored[z, y, x]);
                }
            }
        }
    }

    [Fact]
    public void Cropping_an_axis_shorter_than_the_multiple_is_rejected_with_the_axis_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            GridAdjustment.Plan(new VolumeShape(6, 64, 64), GridAdjustmentMode.CentreCrop));

        Assert.Contains("Axis Z has 6 voxels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_already_on_the_grid_are_left_alone()
    {
        var input = Numbered(new VolumeShape(16, 32, 16));

        var plan = GridAdjustment.Plan(input.Shape, GridAdjustmentMode.ReflectPad);

        Assert.True(plan.IsIdentity);
        Assert.Same(input, plan.Apply(input));
        Assert.Same(input, plan.Invert(input));
    }

    [Fact]
    public void Volumes_of_the_wrong_shape_are_rejected()
    {
        var plan = GridAdjustment.Plan(new VolumeShape(5, 17, 33), GridAdjustmentMode.ReflectPad);

        Assert.Throws<ArgumentException>(() => plan.Apply(Numbered(new VolumeShape(5, 17, 32))));
        Assert.Throws<ArgumentException>(() => plan.Invert(Numbered(new VolumeShape(5, 17, 33))));
    }

    private static Volume Numbered(VolumeShape shape)
    {
        var volume = new Volume(shape);
        for (var i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = i;
        }

        return volume;
    }
}
