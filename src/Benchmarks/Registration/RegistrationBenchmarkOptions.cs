using LabelFree.Pipeline.Registration;

namespace LabelFree.Benchmarks.Registration;

/// <summary>Settings of <see cref="RegistrationBenchmark"/>.</summary>
public sealed record RegistrationBenchmarkOptions
{
    /// <summary>Trials per scene.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>Seeds the scenes, transforms and degradations; the same seed repeats the same trials.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Real fluorescence images used as fixed images, one scene each (none: procedural scenes only).</summary>
    public IReadOnlyList<BenchmarkFixedImage> RealImages { get; init; } = [];

    /// <summary>Registration settings under test.</summary>
    public RegistrationOptions Registration { get; init; } = RegistrationOptions.Default;

    /// <summary>
    /// Whether the content gate may stop a trial. Off by default: the gate judges a model's prediction, and sparse
    /// real nuclear stains (a few bright nuclei) fail it although they register well; the trials still record the
    /// content fraction and the report counts how many the gate would have stopped.
    /// </summary>
    public bool ApplyContentGate { get; init; }

    /// <summary>Run only the scenes whose name contains this (case-insensitive); null runs every scene.</summary>
    public string? SceneFilter { get; init; }

    /// <summary>Side of the procedural fixed images (the paper's IF field: 2048).</summary>
    public int FixedSize { get; init; } = 2048;

    /// <summary>Side of the moving image for procedural scenes (the paper's EM crop: 1500).</summary>
    public int MovingSize { get; init; } = 1500;
}
