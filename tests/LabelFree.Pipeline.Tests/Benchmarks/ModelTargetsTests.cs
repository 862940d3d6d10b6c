using LabelFree.Pipeline.Benchmarks;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class ModelTargetsTests
{
    private static readonly VolumeShape Tile = new(48, 240, 208);

    [Fact]
    public void A_floor_holds_at_the_limit_and_a_ceiling_holds_at_the_limit()
    {
        Assert.True(new BenchmarkTarget("speed", 0.80, TargetDirection.AtLeast, 0.80, "%").Passed);
        Assert.False(new BenchmarkTarget("speed", 0.7999, TargetDirection.AtLeast, 0.80, "%").Passed);
        Assert.True(new BenchmarkTarget("memory", 2.5e9, TargetDirection.AtMost, 2.5e9, "GB").Passed);
        Assert.False(new BenchmarkTarget("memory", 2.6e9, TargetDirection.AtMost, 2.5e9, "GB").Passed);
    }

    [Fact]
    public void Each_target_prints_pass_or_miss_with_the_figure_in_its_unit()
    {
        Assert.Equal("MISS  fp32 speed: 46.5 % (target >= 80.0 %)", new BenchmarkTarget("fp32 speed", 0.465, TargetDirection.AtLeast, 0.8, "%").ToText());
        Assert.Equal("PASS  tiled memory: 2.13 GB (target <= 2.50 GB)", new BenchmarkTarget("tiled memory", 2.13e9, TargetDirection.AtMost, 2.5e9, "GB").ToText());
        Assert.Equal("PASS  ratio: 1.05x (target <= 1.10x)", new BenchmarkTarget("ratio", 1.05, TargetDirection.AtMost, 1.1, "x").ToText());
        Assert.Equal("PASS  r: 0.99995 (target >= 0.999)", new BenchmarkTarget("r", 0.99995, TargetDirection.AtLeast, 0.999, "").ToText());
    }

    [Fact]
    public void The_issue_targets_are_checked_for_every_case_they_apply_to()
    {
        // fp32: 2 TFLOP in 10 s = 200 GFLOP/s of a 220 GEMM (91 %, PASS); tiled 11.5 s = 1.15x (MISS), 2.2 GB (PASS).
        // bf16: 2 TFLOP in 5 s = 400 of a 1000 GEMM (40 %, MISS); tiled 5.25 s = 1.05x (PASS), 2.6 GB (MISS).
        var predictions = new[]
        {
            Measurements.Prediction("fp32 whole", Precision.Float32, 1, Measurements.Stack, seconds: 10, gemm: 220, peakBytes: 4_600_000_000),
            Measurements.Prediction("fp32 tiled", Precision.Float32, 2, Tile, seconds: 11.5, gemm: 220, peakBytes: 2_200_000_000),
            Measurements.Prediction("bf16 whole", Precision.BFloat16, 1, Measurements.Stack, seconds: 5, gemm: 1000, peakBytes: 2_400_000_000),
            Measurements.Prediction("bf16 tiled", Precision.BFloat16, 2, Tile, seconds: 5.25, gemm: 1000, peakBytes: 2_600_000_000),
        };

        var targets = ModelTargets.Evaluate(predictions, bfloat16Agreement: 0.9995).ToDictionary(t => t.Name, t => t.Passed);

        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["fp32 whole prediction speed, fraction of fp32 GEMM"] = true,
                ["fp32 tiled prediction speed, fraction of fp32 GEMM"] = false,
                ["bf16 whole prediction speed, fraction of bf16 GEMM"] = false,
                ["bf16 tiled prediction speed, fraction of bf16 GEMM"] = false,
                ["r(bf16, fp32) of one-pass predictions"] = true,
                ["fp32 tiled peak resident memory"] = true,
                ["fp32 tiled time / fp32 whole time"] = false,
                ["bf16 tiled peak resident memory"] = false,
                ["bf16 tiled time / bf16 whole time"] = true,
            },
            targets);
    }
}
