using LabelFree.Benchmarks;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class ModelBenchmarkTests
{
    // A depth-1 network on a 16x32x48 stack, tiled under a 16x32x32 budget: the whole benchmark in a few seconds.
    private static readonly ModelBenchmarkOptions Tiny = new()
    {
        Architecture = FnetArchitecture.Paper3D with { Depth = 1, MultChan = 4 },
        Stack = new VolumeShape(16, 32, 48),
        Tiling = new PredictionOptions { MaxVoxelsPerPass = 16 * 32 * 32 },
        CostCurveStacks = [new VolumeShape(8, 16, 16), new VolumeShape(8, 16, 32)],
        PaperSizeStack = new VolumeShape(8, 48, 64),
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
    public void Each_precision_is_predicted_in_one_pass_and_in_tiles_within_the_budget()
    {
        var predictions = Report.Value.Predictions;

        Assert.Equal(["fp32 whole", "fp32 tiled", "bf16 whole", "bf16 tiled"], predictions.Select(p => p.Name));
        Assert.Equal([false, true, false, true], predictions.Select(p => p.IsTiled));
        Assert.All(predictions.Where(p => p.IsTiled), p => Assert.True(p.TileShape.VoxelCount <= Tiny.Tiling.MaxVoxelsPerPass));
        Assert.All(predictions.Where(p => p.IsTiled), p => Assert.Equal(ReceptiveField.SeamMargin(Tiny.Architecture), p.Margin));
        Assert.All(predictions, p => Assert.Equal(FnetFlops.Forward(Tiny.Architecture, Tiny.Stack), p.Flops));
        Assert.All(predictions, p => Assert.Equal(Report.Value.GemmReference(p.Precision), p.GemmGigaflopsPerSecond));
    }

    [Fact]
    public void The_tiled_cases_are_tiled_even_where_the_policy_would_take_the_stack_in_one_pass()
    {
        var roomy = Tiny with { Tiling = new PredictionOptions { MaxVoxelsPerPass = 10 * Tiny.Stack.VoxelCount } };

        Assert.Equal(Tiny.Stack.VoxelCount - 1, ModelBenchmark.TiledCaseBudget(roomy));
        Assert.Equal(Tiny.Tiling.MaxVoxelsPerPass, ModelBenchmark.TiledCaseBudget(Tiny));
        Assert.Equal(Tiny.Tiling.MaxVoxelsPerPass, Report.Value.TiledCaseVoxelsPerPass);
    }

    [Fact]
    public void Bf16_is_compared_with_fp32_and_each_tiled_case_with_one_pass_at_its_own_precision()
    {
        var report = Report.Value;

        Assert.Equal(["bf16 whole vs fp32 whole", "fp32 tiled vs fp32 whole", "bf16 tiled vs bf16 whole"], report.Agreements.Select(a => a.Name));
        Assert.All(report.Agreements, a => Assert.InRange(a.R, 0.98, 1.0));
        Assert.True(report.OutputStandardDeviation > 0.1, "He-scaled weights pass the input's variation through");
        Assert.Equal(report.Agreements[0].R, report.Targets.Single(t => t.Name.StartsWith("r(bf16, fp32)", StringComparison.Ordinal)).Measured);
    }

    [Fact]
    public void The_cost_curve_fits_an_exponent_over_three_sizes_and_counts_structures_and_paper_size_throughput()
    {
        var curve = Report.Value.CostCurve!;

        Assert.Equal(3, curve.Sizes.Count);
        Assert.Equal(CostCurve.FitExponent(curve.Sizes), curve.VoxelExponent);
        Assert.Equal([1, 2, 3], curve.Structures.Select(s => s.Structures));
        Assert.Equal(Tiny.PaperSizeStack, curve.PaperStack.Input);
        Assert.True(curve.PaperStack.StacksPerHourPerCore > 0);
    }

    [Fact]
    public void The_exponent_is_the_log_log_slope()
    {
        CostPoint Point(long voxels, double cpu) => new(new VolumeShape(1, 1, 1), voxels, 1, 1, cpu, cpu, 0, 0);

        Assert.Equal(1.0, CostCurve.FitExponent([Point(1000, 1), Point(2000, 2), Point(4000, 4)]), 9);
        Assert.Equal(2.0, CostCurve.FitExponent([Point(1000, 1), Point(2000, 4), Point(4000, 16)]), 9);
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

        // Speed x 4 cases, r(bf16), per tiled case deviation, r, time and memory, kernel time x 4, the cost exponent.
        Assert.Equal(18, report.Targets.Count);
        Assert.All(report.Targets, target => Assert.Contains(target.ToText(), text, StringComparison.Ordinal));
        Assert.Contains("re-run when the machine is quieter", text, StringComparison.Ordinal);
        // The benchmark's own two busy threads raise the load at the end by about 2: that is not other work.
        var quiet = report with { LoadAtStart = new LoadAverage(0.5, 0.5, 0.5), LoadAtEnd = new LoadAverage(2.6, 2.2, 1.0) };
        Assert.DoesNotContain("re-run", ModelBenchmarkText.Format(quiet), StringComparison.Ordinal);
        Assert.Contains("re-run", ModelBenchmarkText.Format(quiet with { LoadAtEnd = new LoadAverage(3.5, 2.2, 1.0) }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_level_whose_process_failed_is_listed_with_the_reason_and_the_others_keep_their_ratios()
    {
        var report = Report.Value with
        {
            LevelCosts = [new LevelCost("default", 8.0, 3.0), new LevelCost("avx2", 12.0, 6.0), LevelCost.Failed("no-onednn", "its process was killed")],
        };

        var text = ModelBenchmarkText.Format(report);

        Assert.Contains("1.50x forward, 2.00x training", text, StringComparison.Ordinal);
        Assert.Contains("no-onednn    no figures: its process was killed", text, StringComparison.Ordinal);
    }
}
