using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// What <see cref="TransmittedLightSimulator"/> draws: a field of adherent cells on a coverslip, imaged as a
/// bright-field z-stack and as one fluorescence z-stack per requested structure, on one voxel grid.
/// Every length is in micrometres; the same seed gives the same field, voxel for voxel.
/// </summary>
public sealed record TransmittedLightScene
{
    /// <summary>Z, Y, X voxels of every output volume.</summary>
    public VolumeShape Shape { get; init; } = new(32, 64, 64);

    /// <summary>The output grid, 0.29 µm isotropic by default; e.g. (0.29, 0.108, 0.108) for the raw 100x grid.</summary>
    public VoxelSize VoxelSize { get; init; } = VoxelSize.PaperIsotropic;

    public long Seed { get; init; } = 1;

    /// <summary>Time points; cells drift between them.</summary>
    public int Frames { get; init; } = 1;

    public double FrameIntervalSeconds { get; init; } = 300;

    /// <summary>Which fluorescence structures to image (names from <see cref="CellStructure"/>).</summary>
    public IReadOnlyList<string> Structures { get; init; } = [CellStructure.Dna, CellStructure.Membrane];

    /// <summary>Mean distance between neighbouring cell centres.</summary>
    public double CellSpacingMicrometres { get; init; } = 9;

    /// <summary>Fraction of lattice sites left free of cells (gaps in the colony).</summary>
    public double EmptySiteFraction { get; init; } = 0.12;

    /// <summary>Typical displacement of a cell from one frame to the next.</summary>
    public double CellDriftMicrometresPerFrame { get; init; } = 0.25;

    /// <summary>Height of the coverslip surface (the cells' base) above the bottom plane of the stack.</summary>
    public double CoverslipHeightMicrometres { get; init; } = 0.8;

    public CellRefractiveIndex RefractiveIndex { get; init; } = new();

    public BrightFieldOptics BrightField { get; init; } = new();

    public FluorescenceOptics Fluorescence { get; init; } = new();

    /// <summary>A typical demo field: 32 x 96 x 96 at 0.29 µm with DNA and membrane.</summary>
    public static TransmittedLightScene Demo(long seed) => new() { Shape = new VolumeShape(32, 96, 96), Seed = seed };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot be simulated.</summary>
    public void Validate()
    {
        if (Shape.Z <= 0 || Shape.Y <= 0 || Shape.X <= 0)
        {
            throw new ArgumentException($"Shape must be positive in every axis, got {Shape}.");
        }

        if (!VoxelSize.IsValid)
        {
            throw new ArgumentException($"Voxel size must be finite and positive, got {VoxelSize}.");
        }

        if (Frames <= 0 || !(FrameIntervalSeconds > 0))
        {
            throw new ArgumentException($"Need at least one frame and a positive frame interval, got {Frames} frames every {FrameIntervalSeconds} s.");
        }

        ArgumentNullException.ThrowIfNull(Structures);
        var unknown = Structures.Where(s => !CellStructure.IsKnown(s)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"Unknown structure(s) {string.Join(", ", unknown)}; known: {string.Join(", ", CellStructure.All)}.");
        }

        if (Structures.Distinct(StringComparer.Ordinal).Count() != Structures.Count)
        {
            throw new ArgumentException($"Structures are listed twice: {string.Join(", ", Structures)}.");
        }

        if (!(CellSpacingMicrometres >= 3) || !double.IsFinite(CellSpacingMicrometres))
        {
            throw new ArgumentException($"Cell spacing must be at least 3 µm, got {CellSpacingMicrometres}.");
        }

        if (!(EmptySiteFraction >= 0 && EmptySiteFraction < 1) || !(CellDriftMicrometresPerFrame >= 0)
            || !(CoverslipHeightMicrometres >= 0) || !double.IsFinite(CellDriftMicrometresPerFrame + CoverslipHeightMicrometres))
        {
            throw new ArgumentException("Empty-site fraction must be in [0, 1); drift and coverslip height must be >= 0.");
        }

        if (Shape.Z * VoxelSize.Z - CoverslipHeightMicrometres < 1.5)
        {
            throw new ArgumentException(
                FormattableString.Invariant($"The stack ({Shape.Z * VoxelSize.Z:0.##} µm) leaves under 1.5 µm above the coverslip for cells."));
        }

        RefractiveIndex.Validate();
        BrightField.Validate();
        Fluorescence.Validate();
    }
}
