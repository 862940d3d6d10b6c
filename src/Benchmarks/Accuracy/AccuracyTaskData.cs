using LabelFree.Pipeline.Imaging;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>A task's pair, split into the part models train on and the part they are tested on.</summary>
public sealed record AccuracyTaskData(Volume TrainSignal, Volume TrainTarget, Volume TestSignal, Volume TestTarget);
