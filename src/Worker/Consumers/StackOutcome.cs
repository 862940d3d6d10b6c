using LabelFree.Messages;

namespace LabelFree.Worker.Consumers;

/// <summary>How one stack ended: exactly one of <see cref="Predicted"/>, <see cref="Registered"/> and <see cref="Rejected"/> is set.</summary>
/// <param name="Computed">True when the prediction was computed now; false when an existing result was reused or the stack was rejected.</param>
/// <param name="Registered">For an EM stack with a reference image: its registration (whatever the outcome).</param>
public sealed record StackOutcome(StackPredicted? Predicted, StackRejected? Rejected, bool Computed, EmRegistered? Registered = null)
{
    public static StackOutcome Done(StackPredicted predicted, bool computed) => new(predicted, null, computed);

    public static StackOutcome DoneRegistration(EmRegistered registered, bool computed) => new(null, null, computed, registered);

    public static StackOutcome Refused(StackRejected rejected) => new(null, rejected, false);
}
