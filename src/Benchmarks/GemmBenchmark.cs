using System.Diagnostics;
using LabelFree.Pipeline.Prediction;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Benchmarks;

/// <summary>
/// Times torch.matmul of large square matrices on the current libtorch thread setting: the reference rate
/// that convolution speed is compared with (a convolution is a GEMM in disguise, so this is what the
/// same cores reach on the friendliest possible problem).
/// </summary>
public static class GemmBenchmark
{
    /// <summary>FLOPs of one n x n by n x n product.</summary>
    public static long FlopsPerProduct(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return checked(2L * size * size * size);
    }

    /// <summary>Best of <paramref name="timedRuns"/> products after <paramref name="warmUpRuns"/> untimed ones (thread pool start, kernel selection, page faults).</summary>
    public static GemmMeasurement Measure(Precision precision, int size, int warmUpRuns, int timedRuns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpRuns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timedRuns);
        using var scope = NewDisposeScope();
        var type = PrecisionTypes.ScalarTypeOf(precision);
        var left = randn([size, size]).to(type);
        var right = randn([size, size]).to(type);
        for (var run = 0; run < warmUpRuns; run++)
        {
            matmul(left, right).Dispose();
        }

        var best = double.MaxValue;
        var bestCpu = double.MaxValue;
        for (var run = 0; run < timedRuns; run++)
        {
            var cpu = ProcessorTime.Now();
            var clock = Stopwatch.StartNew();
            using var product = matmul(left, right);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, (ProcessorTime.Now() - cpu).Total.TotalSeconds);
        }

        return new GemmMeasurement(precision, size, warmUpRuns, timedRuns, best, bestCpu);
    }
}
