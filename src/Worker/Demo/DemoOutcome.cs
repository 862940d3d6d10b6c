using LabelFree.Messages;

namespace LabelFree.Worker.Demo;

/// <summary>
/// What the worker reported for one demo stack: its StackPredicted, its StackRejected or its fault (none when the
/// demo stopped waiting before it came).
/// </summary>
public sealed record DemoOutcome(DemoStack Stack, string StackId, StackPredicted? Predicted, StackRejected? Rejected, DemoFault? Fault)
{
    /// <summary>The worker is done with the stack, one way or the other: nothing more will come for it.</summary>
    public bool Completed => Predicted is not null || Rejected is not null || Fault is not null;
}
