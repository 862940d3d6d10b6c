using LabelFree.Pipeline.Registration;

namespace LabelFree.Benchmarks.Registration;

/// <summary>Everything one benchmark run measured.</summary>
/// <param name="Seed">The seed the trials were drawn with.</param>
/// <param name="TrialsPerScene">Trials per scene.</param>
/// <param name="ProcessorCount">Logical processors of the machine (timings depend on it).</param>
/// <param name="OpenCvThreads">Threads OpenCV used.</param>
/// <param name="Scenes">Per-scene figures.</param>
/// <param name="Trials">Every trial, for inspection.</param>
public sealed record RegistrationBenchmarkReport(
    int Seed,
    int TrialsPerScene,
    int ProcessorCount,
    int OpenCvThreads,
    IReadOnlyList<RegistrationBenchmarkScene> Scenes,
    IReadOnlyList<RegistrationBenchmarkTrial> Trials);
