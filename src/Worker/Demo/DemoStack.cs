namespace LabelFree.Worker.Demo;

/// <summary>
/// One stack file of the demo batch. A quality-control stack names its fluorescence channels as ground truth,
/// so the worker scores its predictions with Pearson r; the time series is predicted without.
/// </summary>
public sealed record DemoStack(FileInfo File, int Frames, bool IsQualityControl);
