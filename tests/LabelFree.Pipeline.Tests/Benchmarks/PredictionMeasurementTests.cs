using LabelFree.Benchmarks;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class PredictionMeasurementTests
{
    [Fact]
    public void The_rate_uses_the_best_run_and_is_compared_with_the_gemm_rate()
    {
        // 2 TFLOP in a best run of 10 s = 200 GFLOP/s; against a 400 GFLOP/s GEMM that is half.
        var measurement = Measurements.Prediction("fp32 whole", Precision.Float32, tiles: 1, Measurements.Stack, seconds: 10, gemm: 400, peakBytes: 4_000_000_000);

        Assert.Equal(10, measurement.BestSeconds);
        Assert.Equal(200, measurement.GigaflopsPerSecond, precision: 9);
        Assert.Equal(0.5, measurement.FractionOfGemm, precision: 9);
        Assert.Equal(0.5, measurement.FractionOfGemmByCpuTime, precision: 9); // 20 CPU-s against a GEMM doing 200 GFLOP per CPU-s
        Assert.False(measurement.IsTiled);
        Assert.Equal(1, measurement.VoxelOverhead);
    }

    [Fact]
    public void Overlapping_tiles_push_more_voxels_through_the_network_than_the_stack_has()
    {
        // Two 208-wide tiles over 368: 416 / 368 of the stack's voxels.
        var measurement = Measurements.Prediction("fp32 tiled", Precision.Float32, tiles: 2, new VolumeShape(48, 240, 208), seconds: 11, gemm: 400, peakBytes: 2_000_000_000);

        Assert.True(measurement.IsTiled);
        Assert.Equal(416.0 / 368, measurement.VoxelOverhead, precision: 12);
    }
}
