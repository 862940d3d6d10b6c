using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using PipelinePrecision = LabelFree.Pipeline.Prediction.Precision;
using PipelinePrediction = LabelFree.Pipeline.Prediction.PredictionOptions;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>LabelFree:Prediction turned into the Pipeline's prediction options: one tiling policy for CLI and worker.</summary>
public class PredictionSettingsTests
{
    [Fact]
    public void By_default_the_worker_tiles_with_the_pipelines_own_policy()
    {
        var options = PredictionSettings.ToPipeline(new PredictionOptions { CpuThreads = 3 });

        Assert.Equal(new PipelinePrediction { Threads = 3 }, options);
        Assert.Null(options.Margin); // from each network's receptive field
    }

    [Fact]
    public void The_tiling_settings_bind_under_the_pipelines_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabelFree:Prediction:MaxVoxelsPerPass"] = "2500000",
            ["LabelFree:Prediction:Margin"] = "96",
            ["LabelFree:Prediction:Precision"] = "BFloat16",
        }).Build();
        var bound = configuration.GetSection("LabelFree:Prediction").Get<PredictionOptions>()!;

        var options = PredictionSettings.ToPipeline(bound);

        Assert.Equal(2_500_000, options.MaxVoxelsPerPass);
        Assert.Equal(96, options.Margin);
        Assert.Equal(PipelinePrecision.BFloat16, options.Precision);
        Assert.Equal(Environment.ProcessorCount, options.Threads);
    }
}
