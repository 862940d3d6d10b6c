namespace LabelFree.Pipeline.Compute;

/// <summary>
/// What the known-answer test found for one compute path at one level and thread count: whether every
/// repetition matched the known answers within <see cref="Tolerance"/>, the largest error seen (in the units
/// the tolerance is stated in), how long the repetitions took, and, when it failed, the first mismatch.
/// </summary>
public sealed record PathVerdict(
    ComputePath Path,
    string Level,
    int Threads,
    bool Passed,
    double MaxError,
    double Tolerance,
    int Repetitions,
    double Seconds,
    string? Failure)
{
    /// <summary>A level this CPU lacks: not tested, never chosen.</summary>
    public static PathVerdict Unavailable(ComputePath path, ComputeLevel level, int threads) =>
        new(path, level.Name, threads, false, double.NaN, double.NaN, 0, 0, $"the CPU lacks {string.Join("/", level.RequiredCpuFlags)}");

    public bool WasRun => Repetitions > 0;
}
