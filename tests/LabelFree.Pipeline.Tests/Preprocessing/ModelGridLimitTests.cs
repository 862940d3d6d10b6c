using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

/// <summary>
/// Voxel sizes from files and messages decide how large a stack becomes on a model's grid; the cap that bounds the
/// file bounds that grid too, checked before a single voxel is resampled.
/// </summary>
public class ModelGridLimitTests
{
    private static readonly VolumeShape Small = new(16, 32, 32);

    [Theory]
    [InlineData(1000.0)] // 16x32x32 voxels of 1 mm become 55172x110345x110345 voxels of 0.29 µm
    [InlineData(1e300)] // the ratio overflows every integer type
    public void A_voxel_size_that_blows_the_stack_up_on_the_model_grid_is_too_large_before_allocating(double micrometres)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageFileException>(() =>
            ModelGridLimit.Check(Small, new VoxelSize(micrometres, micrometres, micrometres), ModelGrid.Paper3D, 1L << 30, "in/stack.tif"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageProblem.TooLarge, error.Problem);
        Assert.Equal("in/stack.tif", error.Path);
        Assert.Contains("check the voxel size", error.Reason, StringComparison.Ordinal);
        Assert.True(allocated < 64_000_000, $"Refusing the grid allocated {allocated} bytes.");
    }

    [Fact]
    public void A_voxel_size_that_shrinks_an_axis_below_one_voxel_is_an_empty_dimension()
    {
        var error = Assert.Throws<ImageFileException>(() =>
            ModelGridLimit.Check(Small, new VoxelSize(1e-9, 1e-9, 1e-9), ModelGrid.Paper3D, 1L << 30, "in/stack.tif"));

        Assert.Equal(ImageProblem.EmptyDimension, error.Problem);
    }

    [Fact]
    public void Padding_to_the_size_step_counts_against_the_cap()
    {
        // At the model's own voxel size nothing is resampled, but 16x32x33 pads to 16x32x48 = 24576 voxels.
        var shape = new VolumeShape(16, 32, 33);

        var error = Assert.Throws<ImageFileException>(() =>
            ModelGridLimit.Check(shape, VoxelSize.PaperIsotropic, ModelGrid.Paper3D, 20_000, "in/stack.tif"));
        var mapping = ModelGridLimit.Check(shape, VoxelSize.PaperIsotropic, ModelGrid.Paper3D, 24_576, "in/stack.tif");

        Assert.Equal(ImageProblem.TooLarge, error.Problem);
        Assert.Equal(new VolumeShape(16, 32, 48), mapping.ModelShape);
    }

    [Fact]
    public void The_papers_stack_passes_with_the_mapping_the_predictor_would_plan()
    {
        var voxelSize = new VoxelSize(0.29, 0.108, 0.108);

        var mapping = ModelGridLimit.Check(new VolumeShape(60, 624, 924), voxelSize, ModelGrid.Paper3D, 1L << 30, "in/stack.tif");

        Assert.Equal(ModelGridMapping.Plan(new VolumeShape(60, 624, 924), voxelSize, ModelGrid.Paper3D).ModelShape, mapping.ModelShape);
    }
}
