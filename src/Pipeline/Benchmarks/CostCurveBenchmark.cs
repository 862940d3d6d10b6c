using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// Measures <see cref="CostCurve"/>: fp32 prediction under the product's tiling policy (the options'
/// <see cref="ModelBenchmarkOptions.Tiling"/>) for stacks of increasing size, for 1, 2, 3 structures on the
/// smallest, and for a paper-size stack from raw input to result. One run each: the figures are CPU
/// seconds, which other work on the machine barely moves.
/// </summary>
public static class CostCurveBenchmark
{
    public static CostCurve Measure(ModelBenchmarkOptions options, GemmMeasurement gemm, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gemm);
        var policy = options.Tiling with { Precision = Prediction.Precision.Float32, Threads = options.Threads };
        using var network = SignalPreservingNetwork.Create(options.Architecture, options.Seed);

        var sizes = new List<CostPoint>();
        foreach (var shape in options.CostCurveStacks)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"cost curve: {shape}");
            var outcome = PredictionBenchmark.Measure($"fp32 {shape}", network, BenchmarkStack.Create(shape, options.Seed), policy, 1, gemm,
                options.MemorySamplingInterval);
            sizes.Add(CostPoint.From(outcome.Measurement));
        }

        var structures = MeasureStructures(options, policy, cancellation, progress);
        cancellation.ThrowIfCancellationRequested();
        var (paper, paperPoint) = MeasurePaperStack(options, network, policy, progress);
        sizes.Add(paperPoint);
        return new CostCurve(sizes, CostCurve.FitExponent(sizes), structures, paper);
    }

    private static List<StructureCost> MeasureStructures(ModelBenchmarkOptions options, PredictionOptions policy, CancellationToken cancellation,
        IProgress<string>? progress)
    {
        var shape = options.CostCurveStacks[0];
        var stack = BenchmarkStack.Create(shape, options.Seed);
        var costs = new List<StructureCost>();
        foreach (var count in options.StructureCounts)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"cost curve: {count} structure(s) on {shape}");

            // One network per structure, built before the clock starts, as a worker loads its models once.
            var networks = Enumerable.Range(0, count).Select(i => SignalPreservingNetwork.Create(options.Architecture, options.Seed + i)).ToList();
            var predictors = networks.Select(n => new TiledPredictor(n, policy)).ToList();
            try
            {
                FreedMemory.Release();
                var cpu = ProcessorTime.Now();
                var clock = Stopwatch.StartNew();
                foreach (var predictor in predictors)
                {
                    predictor.Predict(stack, cancellation);
                }

                var seconds = clock.Elapsed.TotalSeconds;
                var cpuSeconds = (ProcessorTime.Now() - cpu).Total.TotalSeconds;
                var one = costs.FirstOrDefault(c => c.Structures == 1);
                var relative = one is null ? 1 : cpuSeconds / (count * one.CpuSeconds);
                costs.Add(new StructureCost(count, seconds, cpuSeconds, relative));
            }
            finally
            {
                predictors.ForEach(p => p.Dispose());
                networks.ForEach(n => n.Dispose());
            }
        }

        return costs;
    }

    private static (PaperStackThroughput Throughput, CostPoint Prediction) MeasurePaperStack(ModelBenchmarkOptions options, Fnet network, PredictionOptions policy, IProgress<string>? progress)
    {
        var input = BenchmarkStack.Create(options.PaperSizeStack, options.Seed);
        var mapping = ModelGridMapping.Plan(input.Shape, options.PaperSizeVoxelSize, ModelGrid.Paper3D with { Multiple = options.Architecture.SpatialMultiple });
        using var predictor = new TiledPredictor(network, policy);
        var layout = predictor.Layout(mapping.ModelShape);
        progress?.Report($"cost curve: paper-size stack {options.PaperSizeStack} at {options.PaperSizeVoxelSize} -> {mapping.ModelShape}, {layout.TileCount} pass(es)");

        FreedMemory.Release();
        using var sampler = PeakMemorySampler.Start(options.MemorySamplingInterval);
        var cpu = ProcessorTime.Now();
        var clock = Stopwatch.StartNew();
        var modelInput = mapping.ToModelGrid(input);
        var resampling = ProcessorTime.Now() - cpu;
        var beforePrediction = ProcessorTime.Now();
        var predictionClock = Stopwatch.StartNew();
        var prediction = predictor.Predict(modelInput);
        var predictionSeconds = predictionClock.Elapsed.TotalSeconds;
        var beforeRestore = ProcessorTime.Now();
        var predictionCpu = beforeRestore - beforePrediction;
        _ = mapping.ToInputGrid(prediction);
        resampling += ProcessorTime.Now() - beforeRestore;
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (ProcessorTime.Now() - cpu).Total.TotalSeconds;
        var peak = sampler.Stop();
        var throughput = new PaperStackThroughput(input.Shape, options.PaperSizeVoxelSize, mapping.ModelShape, layout.TileCount, layout.Margin, seconds, cpuSeconds,
            resampling.Total.TotalSeconds, peak.PeakBytes);
        var point = new CostPoint(mapping.ModelShape, mapping.ModelShape.VoxelCount, layout.TileCount, layout.VoxelOverhead, predictionSeconds,
            predictionCpu.Total.TotalSeconds, predictionCpu.Kernel.TotalSeconds, peak.PeakBytes);
        return (throughput, point);
    }
}
