using LabelFree.Benchmarks;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Benchmarks;

/// <summary>Hand-made measurements for testing the arithmetic and the targets without timing anything.</summary>
internal static class Measurements
{
    public static readonly VolumeShape Stack = new(48, 240, 368);

    public static PredictionMeasurement Prediction(string name, Precision precision, int tiles, VolumeShape tile, double seconds, double gemm, long peakBytes) =>
        new(name, precision, Stack, tile, tiles, tiles > 1 ? 32 : 0, [seconds * 1.2, seconds], [seconds * 2.4, seconds * 2], [seconds * 0.5, seconds * 0.4], Flops: 2_000_000_000_000, gemm, gemm / 2,
            new MemoryPeak(BaselineBytes: 300_000_000, peakBytes), LoadBefore: null, LoadAfter: null);
}
