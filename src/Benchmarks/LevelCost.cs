namespace LabelFree.Benchmarks;

/// <summary>
/// What computing at one compute level costs: the best fp32 one-pass forward over the benchmark stack and
/// the best training step, each measured in a process of its own started at that level; or why that process
/// gave no figures.
/// </summary>
public sealed record LevelCost(string Level, double? ForwardSeconds, double? TrainingStepSeconds, string? Failure = null)
{
    public static LevelCost Failed(string level, string reason) => new(level, null, null, reason);
}
