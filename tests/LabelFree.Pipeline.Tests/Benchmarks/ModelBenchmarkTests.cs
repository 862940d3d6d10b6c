using LabelFree.Pipeline.Benchmarks;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class ModelBenchmarkTests
{
    // A depth-1 network on a 16x32x48 stack cut into two 16x32x32 tiles: the whole benchmark in about a second.
    private static readonly ModelBenchmarkOptions Tiny = new()
    {
        Architecture = FnetArchitecture.Paper3D with { Depth = 1, MultChan = 4 },
        Stack = new VolumeShape(16, 32, 48),
        Tiling = new PredictionOptions { TileShape = new VolumeShape(16, 32, 32), MaxVoxelsPerPass = 16 * 32 * 32, Overlap = 8 },
        PredictionRuns = 1,
        GemmSizes = [64],
        GemmWarmUpRuns = 0,
        GemmTimedRuns = 1,
        TrainingPatch = new VolumeShape(8, 16, 16),
        TrainingCases = [new TrainingCase(BatchSize: 2, WarmUpSteps: 1, TimedSteps: 2)],
        Threads = 1,
    };

    private static readonly Lazy<ModelBenchmarkReport> Report = new(() => ModelBenchmark.Run(Tiny));

    [Fact]
    public void Each_precision_is_predicted_in_one_pass_and_in_the_configured_tiles()
    {
        var predictions = Report.Value.Predictions;

        Assert.Equal(["fp32 whole", "fp32 tiled", "bf16 whole", "bf16 tiled"], predictions.Select(p => p.Name));
        Assert.Equal([1, 2, 1, 2], predictions.Select(p => p.TileCount));
        Assert.Equal([Tiny.Stack, Tiny.Tiling.TileShape, Tiny.Stack, Tiny.Tiling.TileShape], predictions.Select(p => p.TileShape));
        Assert.All(predictions, p => Assert.Equal(FnetFlops.Forward(Tiny.Architecture, Tiny.Stack), p.Flops));
        Assert.All(predictions, p => Assert.Equal(Report.Value.GemmReference(p.Precision), p.GemmGigaflopsPerSecond));
    }

    [Fact]
    public void Bf16_and_tiled_predictions_are_compared_with_the_fp32_one_pass_prediction()
    {
        var report = Report.Value;

        Assert.Equal(["bf16 whole vs fp32 whole", "fp32 tiled vs fp32 whole", "bf16 tiled vs fp32 whole"], report.Agreements.Select(a => a.Name));
        Assert.All(report.Agreements, a => Assert.InRange(a.R, 0.98, 1.0));
        Assert.True(report.OutputStandardDeviation > 0.1, "He-scaled weights pass the input's variation through");
        Assert.Equal(report.Agreements[0].R, report.Targets.Single(t => t.Name.StartsWith("r(bf16", StringComparison.Ordinal)).Measured);
    }

    [Fact]
    public void Training_steps_are_timed_after_the_warm_up()
    {
        var training = Assert.Single(Report.Value.Training);

        Assert.Equal((2, 1, 2), (training.BatchSize, training.WarmUpSteps, training.StepSeconds.Count));
        Assert.True(training.Memory.PeakBytes >= training.Memory.BaselineBytes);
    }

    [Fact]
    public void The_text_report_lists_every_target_and_warns_when_the_machine_was_busy()
    {
        var machine = Report.Value.Machine with { LogicalCores = 2, Threads = 2 };
        var report = Report.Value with { LoadAtStart = new LoadAverage(5.0, 4.0, 3.0), Machine = machine };

        var text = ModelBenchmarkText.Format(report);

        Assert.Equal(9, report.Targets.Count);
        Assert.All(report.Targets, target => Assert.Contains(target.ToText(), text, StringComparison.Ordinal));
        Assert.Contains("re-run when the machine is quieter", text, StringComparison.Ordinal);
        // The benchmark's own two busy threads raise the load at the end by about 2: that is not other work.
        var quiet = report with { LoadAtStart = new LoadAverage(0.5, 0.5, 0.5), LoadAtEnd = new LoadAverage(2.6, 2.2, 1.0) };
        Assert.DoesNotContain("re-run", ModelBenchmarkText.Format(quiet), StringComparison.Ordinal);
        Assert.Contains("re-run", ModelBenchmarkText.Format(quiet with { LoadAtEnd = new LoadAverage(3.5, 2.2, 1.0) }), StringComparison.Ordinal);
    }
}
