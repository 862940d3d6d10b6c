namespace LabelFree.Benchmarks;

/// <summary>One batch size to time training steps at, with untimed steps first (allocator and kernel warm-up).</summary>
public sealed record TrainingCase(int BatchSize, int WarmUpSteps, int TimedSteps);
