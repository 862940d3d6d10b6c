namespace LabelFree.Pipeline.Registration;

/// <summary>The result of one registration of a moving image (an IF prediction) into a fixed IF image.</summary>
/// <param name="Outcome">Registered, InsufficientContent or NotConverged.</param>
/// <param name="Reason">Why the outcome is not <see cref="RegistrationOutcome.Registered"/>; null when it is.</param>
/// <param name="Transform">The moving-to-fixed transform; for NotConverged the last estimate, null when nothing was attempted.</param>
/// <param name="Converged">The last refinement step moved the image by less than the tolerance.</param>
/// <param name="Iterations">Refinement steps at full resolution.</param>
/// <param name="Quality">Normalised cross-correlation of the warped moving image and the fixed image over the moving image's footprint.</param>
/// <param name="ContentFraction">Fraction of moving pixels above the content level (the gate's measure).</param>
/// <param name="Evidence">Why the result is believed or not, with its confidence; null when nothing was attempted (insufficient content).</param>
/// <param name="MovingWidth">Width of the moving image in its own pixels (the grid <see cref="RegistrationError"/> averages over).</param>
/// <param name="MovingHeight">Height of the moving image in its own pixels.</param>
public sealed record RegistrationResult(
    RegistrationOutcome Outcome,
    string? Reason,
    RegistrationTransform? Transform,
    bool Converged,
    int Iterations,
    double? Quality,
    double ContentFraction,
    RegistrationEvidence? Evidence,
    int MovingWidth,
    int MovingHeight,
    RegistrationTimings Timings)
{
    /// <summary>The evidence's confidence (0..1; at least 0.5 exactly when Registered), 0 when nothing was attempted.</summary>
    public double Confidence => Evidence?.Confidence ?? 0;
}
