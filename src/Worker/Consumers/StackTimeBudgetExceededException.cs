namespace LabelFree.Worker.Consumers;

/// <summary>
/// One attempt at a stack ran past LabelFree:Broker:StackTimeBudget. A defect, not a transient fault: the
/// same stack would take as long again, so it goes to the error queue instead of holding the queue.
/// </summary>
public sealed class StackTimeBudgetExceededException(string batchId, string stackId, TimeSpan budget, Exception innerException)
    : Exception($"Stack {batchId}/{stackId} did not finish within its time budget of {budget} (LabelFree:Broker:StackTimeBudget).", innerException);
