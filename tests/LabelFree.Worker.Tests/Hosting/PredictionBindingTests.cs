using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Tests.Hosting;

/// <summary>LabelFree:Prediction bound into the Pipeline's own prediction options: one tiling policy for CLI and worker.</summary>
public class PredictionBindingTests
{
    [Fact]
    public async Task By_default_the_worker_tiles_with_the_pipelines_own_policy_on_every_core()
    {
        var options = await Bound(new Dictionary<string, string?>());

        Assert.Equal(new PredictionOptions(), options.Prediction);
        Assert.Null(options.Prediction.Margin); // from each network's receptive field
        Assert.Equal(1L << 30, options.PredictionCapacity.MaxInputVoxels);
    }

    [Fact]
    public async Task The_settings_keep_their_names_and_CpuThreads_sets_the_pipelines_threads()
    {
        var options = await Bound(new Dictionary<string, string?>
        {
            ["LabelFree:Prediction:MaxVoxelsPerPass"] = "2500000",
            ["LabelFree:Prediction:Margin"] = "96",
            ["LabelFree:Prediction:Precision"] = "BFloat16",
            ["LabelFree:Prediction:TestTimeAugmentation"] = "true",
            ["LabelFree:Prediction:CpuThreads"] = "3",
            ["LabelFree:Prediction:MaxInputVoxels"] = "100000",
        });

        Assert.Equal(new PredictionOptions { MaxVoxelsPerPass = 2_500_000, Margin = 96, Precision = Precision.BFloat16, Threads = 3, TestTimeAugmentation = true }, options.Prediction);
        Assert.Equal(100_000, options.PredictionCapacity.MaxInputVoxels);
    }

    private static async Task<WorkerOptions> Bound(Dictionary<string, string?> settings)
    {
        using var host = WorkerOptionsValidationTests.HostWith(settings);
        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        await host.StopAsync();
        return options;
    }
}
