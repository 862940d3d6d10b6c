using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Benchmarks;

/// <summary>Times <see cref="TiledPredictor.Predict"/> (wall and CPU time) on one stack and samples the process's resident memory while it runs.</summary>
public static class PredictionBenchmark
{
    /// <summary>The result of a measurement and the last run's prediction (for comparing precisions and tilings).</summary>
    public sealed record Outcome(PredictionMeasurement Measurement, Volume Prediction);

    /// <summary>
    /// Runs the prediction <paramref name="runs"/> times. The predictor (and its bfloat16 copy of the
    /// weights) is built once, outside the timing, as a worker builds it once per model. Freed memory is
    /// handed back before every run so each run's baseline is what the process really holds.
    /// </summary>
    public static Outcome Measure(string name, Fnet network, Volume stack, PredictionOptions options, int runs, GemmMeasurement gemm,
        TimeSpan samplingInterval)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(gemm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        using var predictor = new TiledPredictor(network, options);
        var layout = predictor.Layout(stack.Shape);
        var loadBefore = LoadAverage.Read();
        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        var kernelSeconds = new List<double>();
        MemoryPeak? memory = null;
        Volume? prediction = null;
        // Released once per case, not per run: the later runs reuse what the first mapped, as a worker does
        // from one stack to the next, and the best run's kernel time shows that steady state.
        FreedMemory.Release();
        for (var run = 0; run < runs; run++)
        {
            prediction = null;
            using var sampler = PeakMemorySampler.Start(samplingInterval);
            var cpu = ProcessorTime.Now();
            var clock = Stopwatch.StartNew();
            prediction = predictor.Predict(stack);
            seconds.Add(clock.Elapsed.TotalSeconds);
            var used = ProcessorTime.Now() - cpu;
            cpuSeconds.Add(used.Total.TotalSeconds);
            kernelSeconds.Add(used.Kernel.TotalSeconds);
            var peak = sampler.Stop();
            memory = memory is null ? peak : MemoryPeak.Max(memory, peak);
        }

        var measurement = new PredictionMeasurement(
            name, options.Precision, stack.Shape, layout.TileShape, layout.TileCount, layout.Margin, seconds, cpuSeconds, kernelSeconds,
            FnetFlops.Forward(network.Architecture, stack.Shape), gemm.GigaflopsPerSecond, gemm.GigaflopsPerCpuSecond, memory!, loadBefore, LoadAverage.Read());
        return new Outcome(measurement, prediction!);
    }
}
