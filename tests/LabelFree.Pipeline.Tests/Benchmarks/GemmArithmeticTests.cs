using LabelFree.Benchmarks;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class GemmArithmeticTests
{
    [Fact]
    public void A_square_product_counts_two_n_cubed_flops()
    {
        // 2048³ = 8,589,934,592 multiply-adds, each a multiply and an add.
        Assert.Equal(17_179_869_184, GemmBenchmark.FlopsPerProduct(2048));
        Assert.Equal(2, GemmBenchmark.FlopsPerProduct(1));
    }

    [Fact]
    public void The_rate_is_the_product_flops_over_the_best_time()
    {
        var measurement = new GemmMeasurement(Precision.BFloat16, 2048, WarmUpRuns: 2, TimedRuns: 5, BestSeconds: 0.1, BestCpuSeconds: 0.25);

        Assert.Equal(171.79869184, measurement.GigaflopsPerSecond, precision: 6);
        Assert.Equal(68.719476736, measurement.GigaflopsPerCpuSecond, precision: 6);
    }

    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    public void Both_precisions_are_measured_on_a_real_product(Precision precision)
    {
        var measurement = GemmBenchmark.Measure(precision, size: 128, warmUpRuns: 1, timedRuns: 2);

        Assert.Equal((precision, 128, 2), (measurement.Precision, measurement.MatrixSize, measurement.TimedRuns));
        Assert.InRange(measurement.BestSeconds, 1e-7, 10);
    }
}
