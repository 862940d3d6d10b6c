using LabelFree.Messages;

namespace LabelFree.Worker.Demo;

/// <summary>What the worker reported for one demo stack: its StackPredicted or its StackRejected (none when it timed out).</summary>
public sealed record DemoOutcome(DemoStack Stack, string StackId, StackPredicted? Predicted, StackRejected? Rejected)
{
    public bool Completed => Predicted is not null || Rejected is not null;
}
