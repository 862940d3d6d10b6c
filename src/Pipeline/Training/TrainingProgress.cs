namespace LabelFree.Pipeline.Training;

/// <summary>Reported after every iteration, for a progress bar.</summary>
public sealed record TrainingProgress(int Iteration, int TotalIterations, double TrainLoss, double? ValidationLoss, TimeSpan Elapsed)
{
    /// <summary>Time left at the rate of this run so far.</summary>
    public TimeSpan? EstimatedRemaining(int startIteration)
    {
        var done = Iteration - startIteration;
        return done <= 0 ? null : TimeSpan.FromTicks(Elapsed.Ticks / done * (TotalIterations - Iteration));
    }
}
