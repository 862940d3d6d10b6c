using LabelFree.Messages;

namespace LabelFree.Worker.Consumers;

/// <summary>How one stack ended: exactly one of <see cref="Predicted"/>, <see cref="Registered"/> and <see cref="Rejected"/> is set.</summary>
/// <param name="Registered">For an EM stack with a reference image: its registration (whatever the outcome).</param>
public sealed record StackOutcome(StackPredicted? Predicted, StackRejected? Rejected, EmRegistered? Registered = null)
{
    public static StackOutcome Done(StackPredicted predicted) => new(predicted, null);

    public static StackOutcome DoneRegistration(EmRegistered registered) => new(null, null, registered);

    public static StackOutcome Refused(StackRejected rejected) => new(null, rejected);

    /// <summary>The result a manifest records, as its event: republished (<paramref name="reused"/>) or announced for the first time.</summary>
    public static StackOutcome From(StackManifest manifest, bool reused)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Registration is { } registration
            ? DoneRegistration(registration with { Reused = reused })
            : Done(manifest.Predicted with { Reused = reused });
    }
}
