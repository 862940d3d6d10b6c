using System.Diagnostics;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// Times the two paths whose cost differs between compute levels, fp32 forward and the training step, in
/// this process at its level: run once per level, each in its own process, it shows what a fallback costs.
/// </summary>
public static class LevelCostBenchmark
{
    public static LevelCost Measure(ModelBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchSharp.torch.set_num_threads(options.Threads);
        using var network = SignalPreservingNetwork.Create(options.Architecture, options.Seed);
        var stack = BenchmarkStack.Create(options.Stack, options.Seed);
        var whole = options.Tiling with
        {
            Precision = Precision.Float32,
            Threads = options.Threads,
            MaxVoxelsPerPass = options.Stack.VoxelCount,
        };
        using var predictor = new TiledPredictor(network, whole);
        var forward = double.MaxValue;
        for (var run = 0; run < options.PredictionRuns; run++)
        {
            FreedMemory.Release();
            var clock = Stopwatch.StartNew();
            predictor.Predict(stack);
            forward = Math.Min(forward, clock.Elapsed.TotalSeconds);
        }

        var step = options.TrainingCases.MinBy(c => c.BatchSize) ?? new TrainingCase(BatchSize: 4, WarmUpSteps: 1, TimedSteps: 2);
        var training = TrainingStepBenchmark.Measure(options.Architecture, options.TrainingPatch, step.BatchSize, step.WarmUpSteps, step.TimedSteps,
            options.Seed, options.MemorySamplingInterval);
        return new LevelCost(ComputeRecord.Current?.Level ?? "unverified", forward, training.BestSeconds);
    }
}
