namespace LabelFree.Benchmarks.Accuracy;

public sealed record AccuracyBenchmarkOptions
{
    /// <summary>The real-data folder (shared/data/real).</summary>
    public required string RealDataFolder { get; init; }

    /// <summary>Where crops, runs and bundles go (kept for inspection).</summary>
    public required string WorkFolder { get; init; }

    /// <summary>Compute budget of every training run, in minutes of CPU time per thread.</summary>
    public double Minutes { get; init; } = 10;

    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];

    /// <summary>Training and prediction threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Shares of the budget at which the test r is measured (the last is 1: the delivered model).</summary>
    public IReadOnlyList<double> Checkpoints { get; init; } = [0.25, 0.5, 0.75, 1.0];

    /// <summary>Only tasks whose name contains this (case-insensitive); null: all.</summary>
    public string? TaskFilter { get; init; }
}
