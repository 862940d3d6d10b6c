namespace LabelFree.Messages;

/// <summary>
/// Event: an EM image's predicted fluorescence was registered against its reference
/// immunofluorescence image (or registration was attempted and did not succeed; see <see cref="Outcome"/>).
/// </summary>
public sealed record EmRegistered
{
    /// <summary>The stack's identifier, from <see cref="StackAcquired.StackId"/>.</summary>
    public required string StackId { get; init; }

    /// <summary>The batch's identifier, from <see cref="StackAcquired.BatchId"/>.</summary>
    public required string BatchId { get; init; }

    /// <summary>How the registration ended.</summary>
    public required RegistrationOutcome Outcome { get; init; }

    /// <summary>True when the refinement converged.</summary>
    public required bool Converged { get; init; }

    /// <summary>The prediction-to-reference transform; null when no transform was found.</summary>
    public AffineTransform2D? Transform { get; init; }

    /// <summary>Scale of the similarity transform (reference pixels per prediction pixel); 0 when no transform was found.</summary>
    public required double Scale { get; init; }

    /// <summary>Rotation of the similarity transform in degrees, positive from +x towards +y (clockwise on screen, y pointing down).</summary>
    public required double RotationDegrees { get; init; }

    /// <summary>X translation of the similarity transform, in reference pixels.</summary>
    public required double TranslationX { get; init; }

    /// <summary>Y translation of the similarity transform, in reference pixels.</summary>
    public required double TranslationY { get; init; }

    /// <summary>Normalised cross-correlation between the warped prediction and the reference, when computed.</summary>
    public double? Quality { get; init; }

    /// <summary>
    /// How strongly the evidence supports the result, 0..1: the weakest of keypoint support, uniqueness over the
    /// best other placement, quality and forward/inverse agreement, each scaled so its threshold reads 0.5. At least
    /// 0.5 exactly when <see cref="Outcome"/> is Registered; 0 when nothing was attempted (and in results stored
    /// before this field existed).
    /// </summary>
    public double Confidence { get; init; }

    /// <summary>Fraction of predicted pixels above half the prediction's maximum (registration needs more than 0.01).</summary>
    public required double ContentFraction { get; init; }

    /// <summary>Mean displacement error against a known reference transform, in reference pixels (evaluation runs only).</summary>
    public double? ErrorPixels { get; init; }

    /// <summary>The predicted fluorescence image.</summary>
    public BlobLocation? Prediction { get; init; }

    /// <summary>An overlay of the warped prediction on the reference, for visual checks.</summary>
    public BlobLocation? Overlay { get; init; }

    /// <summary>The registration result (transform and metrics) as JSON.</summary>
    public BlobLocation? Result { get; init; }

    /// <summary>Seconds per processing stage for the prediction part.</summary>
    public required StageTimings Timings { get; init; }

    /// <summary>Seconds spent on registration (template matching and optical flow).</summary>
    public required double RegistrationSeconds { get; init; }

    /// <summary>
    /// True when this event repeats an already announced result for a redelivered or duplicate message; a result
    /// whose first announcement never went out is announced with false, exactly as it was computed.
    /// </summary>
    public bool Reused { get; init; }

    /// <summary>The stack's manifest (written last: its presence means every other file is complete).</summary>
    public BlobLocation? Manifest { get; init; }

    /// <summary>Host name of the worker.</summary>
    public required string WorkerHost { get; init; }

    /// <summary>When the registration finished.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }
}
