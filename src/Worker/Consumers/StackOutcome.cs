using LabelFree.Messages;

namespace LabelFree.Worker.Consumers;

/// <summary>How one stack ended: exactly one of <see cref="Predicted"/> and <see cref="Rejected"/> is set.</summary>
/// <param name="Computed">True when the prediction was computed now; false when an existing result was reused or the stack was rejected.</param>
public sealed record StackOutcome(StackPredicted? Predicted, StackRejected? Rejected, bool Computed)
{
    public static StackOutcome Done(StackPredicted predicted, bool computed) => new(predicted, null, computed);

    public static StackOutcome Refused(StackRejected rejected) => new(null, rejected, false);
}
