namespace LabelFree.Pipeline.Registration;

/// <summary>One benchmark trial: the known transform's parameters and what registration made of it.</summary>
/// <param name="ErrorPixels">Mean displacement error against the truth in fixed pixels (METHOD §7), when a transform came out.</param>
/// <param name="Seconds">Wall-clock time of the registration.</param>
/// <param name="CpuSeconds">Processor time the process spent during the registration, all threads together.</param>
/// <param name="ContentFraction">The content gate's measure for the moving image.</param>
/// <param name="BelowContentGate">The content gate (at the registration options' threshold) would have stopped this trial.</param>
public sealed record RegistrationBenchmarkTrial(
    string Scene,
    int Index,
    RegistrationOutcome Outcome,
    double? ErrorPixels,
    double Seconds,
    double CpuSeconds,
    double? Quality,
    double ContentFraction,
    bool BelowContentGate,
    double TrueRelativeScale,
    double TrueRotationDegrees,
    string? Reason);
