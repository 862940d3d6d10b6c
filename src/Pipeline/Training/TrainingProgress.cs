namespace LabelFree.Pipeline.Training;

/// <summary>Reported after every iteration, for a progress bar.</summary>
/// <param name="Validation">Measured at checkpoints only.</param>
/// <param name="Compute">Compute time used so far (<see cref="ComputeClock"/>).</param>
/// <param name="Budget">The run's compute budget, when it has one.</param>
public sealed record TrainingProgress(int Iteration, int TotalIterations, double TrainLoss, ValidationMeasurement? Validation, TimeSpan Elapsed,
    TimeSpan Compute = default, TimeSpan? Budget = null)
{
    /// <summary>How far the run is, 0 to 1: by iterations, or by compute budget when that ends it sooner.</summary>
    public double Fraction => Math.Min(1, Math.Max((double)Iteration / TotalIterations, Budget is { } b ? Compute / b : 0));

    /// <summary>Time left at the rate of this run so far.</summary>
    public TimeSpan? EstimatedRemaining(int startIteration)
    {
        var done = Iteration - startIteration;
        if (done <= 0)
        {
            return null;
        }

        var byIterations = TimeSpan.FromTicks(Elapsed.Ticks / done * (TotalIterations - Iteration));
        return Budget is { } budget && Compute > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Min(byIterations.Ticks, (long)(Elapsed.Ticks * Math.Max(0, (budget - Compute) / Compute))))
            : byIterations;
    }
}
