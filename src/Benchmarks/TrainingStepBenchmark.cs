using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Benchmarks;

/// <summary>
/// Times the arithmetic of one <see cref="StructureTrainer"/> iteration (its <see cref="TrainingStep"/>:
/// zero_grad, forward, MSE, backward, non-finite check, Adam step with the paper's settings) on random patches of a
/// fixed batch shape. Patch sampling, logging and checkpoints are left out: they are not what makes a
/// step take seconds.
/// </summary>
public static class TrainingStepBenchmark
{
    public static TrainingStepMeasurement Measure(FnetArchitecture architecture, VolumeShape patch, int batchSize, int warmUpSteps, int timedSteps,
        long seed, TimeSpan samplingInterval)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timedSteps);
        var paper = new TrainingOptions();
        long[] shape = architecture.Dimensions == 3 ? [batchSize, 1, patch.Z, patch.Y, patch.X] : [batchSize, 1, patch.Y, patch.X];

        FreedMemory.Release();
        var loadBefore = LoadAverage.Read();
        using var sampler = PeakMemorySampler.Start(samplingInterval);
        using var network = Fnet.Create(architecture, seed);
        network.train();
        using var trainingStep = new TrainingStep(network, paper);
        using var generator = new Generator((ulong)seed);
        using var signal = randn(shape, generator: generator);
        using var target = randn(shape, generator: generator);
        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        var kernelSeconds = new List<double>();
        for (var step = 0; step < warmUpSteps + timedSteps; step++)
        {
            var cpu = ProcessorTime.Now();
            var clock = Stopwatch.StartNew();
            trainingStep.Run(signal, target, step + 1);
            if (step >= warmUpSteps)
            {
                seconds.Add(clock.Elapsed.TotalSeconds);
                var used = ProcessorTime.Now() - cpu;
                cpuSeconds.Add(used.Total.TotalSeconds);
                kernelSeconds.Add(used.Kernel.TotalSeconds);
            }
        }

        var memory = sampler.Stop();
        var flopsPerPatch = FnetFlops.Forward(architecture, patch);
        return new TrainingStepMeasurement(batchSize, patch, warmUpSteps, seconds, cpuSeconds, kernelSeconds, flopsPerPatch * batchSize, memory, loadBefore, LoadAverage.Read());
    }
}
