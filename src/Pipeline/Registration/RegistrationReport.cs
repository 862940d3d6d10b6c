using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The result document of one registration, as the CLI writes it to --out (and the worker can store it): outcome,
/// transform, quality, content, the error against a reference transform when one was given, inputs and timings.
/// </summary>
public sealed record RegistrationReport
{
    /// <summary>
    /// The document's one JSON form, for `register --out` and the worker's registration.json alike: the registration
    /// documents' style (<see cref="RegistrationJson"/>: camelCase, indented, enums as names) with two differences the
    /// report has always had: absent values are written as null (a reader sees every field), and a non-finite figure
    /// is written as "NaN" or "Infinity" rather than failing the write.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(RegistrationJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required RegistrationOutcome Outcome { get; init; }

    public string? Reason { get; init; }

    public required bool Converged { get; init; }

    public required int Iterations { get; init; }

    public double? Quality { get; init; }

    public required double ContentFraction { get; init; }

    /// <summary>0..1, at least 0.5 exactly when Registered: the weakest piece of <see cref="Evidence"/> against its threshold.</summary>
    public required double Confidence { get; init; }

    public RegistrationEvidence? Evidence { get; init; }

    public RegistrationTransformDocument? Transform { get; init; }

    public RegistrationTransformDocument? Reference { get; init; }

    /// <summary>METHOD §7's error of <see cref="Transform"/> against <see cref="Reference"/>, in fixed pixels.</summary>
    public double? ErrorVersusReferencePixels { get; init; }

    public required RegistrationReportImage Moving { get; init; }

    public required RegistrationReportImage Fixed { get; init; }

    public required RegistrationTimings Timings { get; init; }

    /// <summary>Time the structure model took to predict the moving image from an EM, when it did (not part of <see cref="Timings"/>).</summary>
    public double? PredictionSeconds { get; init; }

    public static RegistrationReport Create(RegistrationResult result, RegistrationReportImage moving, RegistrationReportImage fixedImage,
        RegistrationTransform? reference = null, double? predictionSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        double? error = result.Transform is { } found && reference is not null
            ? RegistrationError.MeanDisplacement(found, reference, result.MovingWidth, result.MovingHeight)
            : null;
        return new RegistrationReport
        {
            Outcome = result.Outcome,
            Reason = result.Reason,
            Converged = result.Converged,
            Iterations = result.Iterations,
            Quality = result.Quality,
            ContentFraction = result.ContentFraction,
            Confidence = result.Confidence,
            Evidence = result.Evidence,
            Transform = result.Transform is null ? null : RegistrationTransformDocument.From(result.Transform),
            Reference = reference is null ? null : RegistrationTransformDocument.From(reference),
            ErrorVersusReferencePixels = error,
            Moving = moving,
            Fixed = fixedImage,
            Timings = result.Timings,
            PredictionSeconds = predictionSeconds,
        };
    }
}
