using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

public class ModelGridMappingTests
{
    private static readonly VoxelSize Allen100x = new(0.29, 0.108, 0.108);

    [Fact]
    public void Papers_stack_maps_to_0_29_um_and_pads_to_multiples_of_16()
    {
        var mapping = ModelGridMapping.Plan(new VolumeShape(60, 624, 924), Allen100x, ModelGrid.Paper3D);

        Assert.Equal(new VolumeShape(60, 232, 344), mapping.ResampledShape);
        Assert.Equal(new VolumeShape(64, 240, 352), mapping.ModelShape);
        Assert.True(mapping.Resamples);
        Assert.Contains("60x624x924 -> 60x232x344", mapping.ResamplingDecision, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trip_returns_the_input_shape_and_the_z_scored_content()
    {
        var input = SmoothStack(new VolumeShape(4, 62, 92));
        var mapping = ModelGridMapping.Plan(input.Shape, Allen100x, ModelGrid.Paper3D);

        var modelGrid = mapping.ToModelGrid(input);
        var back = mapping.ToInputGrid(modelGrid);

        Assert.Equal(new VolumeShape(16, 32, 48), modelGrid.Shape);
        Assert.Equal(input.Shape, back.Shape);
        var expected = ZScore.Normalize(input);
        for (var z = 0; z < 4; z++)
        {
            for (var y = 10; y < 52; y++)
            {
                for (var x = 10; x < 82; x++)
                {
                    Assert.Equal(expected[z, y, x], back[z, y, x], 2e-3);
                }
            }
        }
    }

    [Fact]
    public void Model_grid_input_is_z_scored_before_resampling_as_in_the_reference()
    {
        var input = SmoothStack(new VolumeShape(2, 31, 43));
        var mapping = ModelGridMapping.Plan(input.Shape, Allen100x, ModelGrid.Paper3D with { Adjustment = GridAdjustmentMode.CentreCrop, Multiple = 2 });

        var modelGrid = mapping.ToModelGrid(input);

        var reference = Resampling.Resample(ZScore.Normalize(input), mapping.ResampledShape);
        Assert.Equal(mapping.Adjustment.Apply(reference).Voxels, modelGrid.Voxels);
    }

    [Fact]
    public void Unknown_input_voxel_size_means_no_resampling_and_says_so()
    {
        var input = SmoothStack(new VolumeShape(5, 20, 30));

        var mapping = ModelGridMapping.Plan(input.Shape, null, ModelGrid.Paper3D);
        var back = mapping.ToInputGrid(mapping.ToModelGrid(input));

        Assert.False(mapping.Resamples);
        Assert.Equal(input.Shape, mapping.ResampledShape);
        Assert.Equal(new VolumeShape(16, 32, 32), mapping.ModelShape);
        Assert.Contains("voxel size is unknown", mapping.ResamplingDecision, StringComparison.Ordinal);
        Assert.Equal(ZScore.Normalize(input).Voxels, back.Voxels);
    }

    [Fact]
    public void A_2d_model_leaves_z_alone_even_when_the_z_size_differs()
    {
        var image = SmoothStack(new VolumeShape(1, 50, 70));
        var model = new ModelGrid(new VoxelSize(1, 0.02, 0.02), Axes: SpatialAxes.YX);

        var mapping = ModelGridMapping.Plan(image.Shape, new VoxelSize(0.5, 0.01, 0.01), model);
        var back = mapping.ToInputGrid(mapping.ToModelGrid(image));

        Assert.Equal(new VolumeShape(1, 25, 35), mapping.ResampledShape);
        Assert.Equal(new VolumeShape(1, 32, 48), mapping.ModelShape);
        Assert.Equal(image.Shape, back.Shape);
    }

    [Fact]
    public void Cropped_model_results_come_back_on_the_full_input_grid()
    {
        var input = SmoothStack(new VolumeShape(20, 40, 52));
        var mapping = ModelGridMapping.Plan(input.Shape, VoxelSize.PaperIsotropic, ModelGrid.Paper3D with { Adjustment = GridAdjustmentMode.CentreCrop });

        var prediction = new Volume(mapping.ModelShape);
        prediction.Voxels.AsSpan().Fill(1f);
        var back = mapping.ToInputGrid(prediction);

        Assert.Equal(new VolumeShape(16, 32, 48), mapping.ModelShape);
        Assert.Equal(input.Shape, back.Shape);
        Assert.Equal(1f, back[10, 20, 26]);
        Assert.Equal(GridAdjustment.CroppedMarginValue, back[0, 0, 0]);
    }

    [Fact]
    public void Volumes_that_do_not_match_the_plan_are_rejected()
    {
        var mapping = ModelGridMapping.Plan(new VolumeShape(4, 62, 92), Allen100x, ModelGrid.Paper3D);

        Assert.Throws<ArgumentException>(() => mapping.ToModelGrid(new Volume(new VolumeShape(4, 62, 91))));
        Assert.Throws<ArgumentException>(() => mapping.ToInputGrid(new Volume(new VolumeShape(4, 23, 34))));
    }

    [Fact]
    public void A_constant_input_fails_with_a_named_reason()
    {
        var input = new Volume(new VolumeShape(4, 62, 92));

        Assert.Throws<ConstantImageException>(() => ModelGridMapping.Plan(input.Shape, Allen100x, ModelGrid.Paper3D).ToModelGrid(input));
    }

    private static Volume SmoothStack(VolumeShape shape)
    {
        var volume = new Volume(shape);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    volume[z, y, x] = (float)(500 + 40 * Math.Sin(x * 0.05) * Math.Cos(y * 0.06) + 10 * z);
                }
            }
        }

        return volume;
    }
}
