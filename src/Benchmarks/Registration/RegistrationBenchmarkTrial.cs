using LabelFree.Pipeline.Registration;

namespace LabelFree.Benchmarks.Registration;

/// <summary>One benchmark trial: the known transform's parameters and what registration made of it.</summary>
/// <param name="ErrorPixels">Mean displacement error against the truth in fixed pixels (METHOD §7), when a transform came out.</param>
/// <param name="FalseClaim">Registered although wrong: a negative control, or an error above <see cref="RegistrationBenchmark.FalseClaimPixels"/>.</param>
/// <param name="Seconds">Wall-clock time of the registration.</param>
/// <param name="PlacementSeconds">Wall-clock time of the rough placement (keypoints, matching, RANSAC) within <paramref name="Seconds"/>.</param>
/// <param name="CpuSeconds">Processor time the process spent during the registration, all threads together.</param>
/// <param name="Confidence">The result's confidence (0..1).</param>
/// <param name="ContentFraction">The content gate's measure for the moving image.</param>
/// <param name="BelowContentGate">The content gate (at the registration options' threshold) would have stopped this trial.</param>
/// <param name="MovingSide">Width of the moving image in its own pixels.</param>
public sealed record RegistrationBenchmarkTrial(
    string Scene,
    int Index,
    RegistrationOutcome Outcome,
    double? ErrorPixels,
    bool FalseClaim,
    double Seconds,
    double PlacementSeconds,
    double CpuSeconds,
    double? Quality,
    double Confidence,
    double ContentFraction,
    bool BelowContentGate,
    double TrueRelativeScale,
    double TrueRotationDegrees,
    int MovingSide,
    string? Reason);
