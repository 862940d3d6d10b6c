using LabelFree.Pipeline.Imaging;

namespace LabelFree.Benchmarks;

/// <summary>Wall time of training steps (forward, MSE, backward, Adam update) at one batch shape.</summary>
/// <param name="StepSeconds">Every timed step, in order (warm-up steps excluded).</param>
/// <param name="StepCpuSeconds">CPU time (all threads) of every timed step.</param>
/// <param name="StepKernelSeconds">The part of each step's CPU time spent in the kernel.</param>
/// <param name="Memory">Resident memory over the warm-up and timed steps.</param>
public sealed record TrainingStepMeasurement(
    int BatchSize,
    VolumeShape Patch,
    int WarmUpSteps,
    IReadOnlyList<double> StepSeconds,
    IReadOnlyList<double> StepCpuSeconds,
    IReadOnlyList<double> StepKernelSeconds,
    long ForwardFlops,
    MemoryPeak Memory,
    LoadAverage? LoadBefore,
    LoadAverage? LoadAfter)
{
    public double BestSeconds => StepSeconds.Min();

    public double SecondsPerSample => BestSeconds / BatchSize;

    /// <summary>Forward-pass FLOPs per second (a backward pass costs about twice the forward, so the step does ~3x this work).</summary>
    public double ForwardGigaflopsPerSecond => ForwardFlops / BestSeconds / 1e9;
}
