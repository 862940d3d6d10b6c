using LabelFree.Pipeline.Imaging;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using PipelinePrecision = LabelFree.Pipeline.Prediction.Precision;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>LabelFree:Prediction turned into the Pipeline's tiled-prediction options.</summary>
public class PredictionSettingsTests
{
    [Fact]
    public void The_default_budget_keeps_the_pipelines_largest_tile()
    {
        var options = PredictionSettings.ToPipeline(new PredictionOptions { CpuThreads = 3 });

        Assert.Equal(new VolumeShape(64, 256, 256), options.TileShape);
        Assert.Equal(4L * 1024 * 1024, options.MaxVoxelsPerPass);
        Assert.Equal(16, options.Overlap);
        Assert.Equal(3, options.Threads);
        Assert.Equal(PipelinePrecision.Float32, options.Precision);
    }

    [Theory]
    [InlineData(1_000_000L)]
    [InlineData(300_000L)]
    [InlineData(4096L)]
    public void A_smaller_budget_shrinks_the_tile_to_fit_it(long budget)
    {
        var options = PredictionSettings.ToPipeline(new PredictionOptions { VoxelBudget = budget, Precision = PredictionPrecision.BFloat16 });

        Assert.True(options.TileShape.VoxelCount <= budget, $"{options.TileShape} exceeds {budget}");
        Assert.True(options.TileShape.Z >= 16 && options.TileShape.Y >= 16 && options.TileShape.X >= 16);
        Assert.True(options.TileShape.VoxelCount * 2 > budget || options.TileShape == new VolumeShape(16, 16, 16),
            $"{options.TileShape} wastes more than half of {budget}");
        Assert.Equal(PipelinePrecision.BFloat16, options.Precision);
        Assert.Equal(Environment.ProcessorCount, options.Threads);
    }
}
