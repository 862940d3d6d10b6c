using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.Training;

/// <summary>Everything `labelfree train` needs to turn a pairs CSV into a model bundle.</summary>
public sealed record StructureTrainingPlan
{
    /// <summary>The pairs CSV (see <see cref="PairsCsv"/>).</summary>
    public required string PairsCsvPath { get; init; }

    /// <summary>What the model predicts, e.g. "dna"; becomes the channel name of its predictions.</summary>
    public required string Structure { get; init; }

    /// <summary>BrightField, Dic or Em.</summary>
    public string InputModality { get; init; } = "BrightField";

    public FnetArchitecture Architecture { get; init; } = FnetArchitecture.Paper3D;

    /// <summary>
    /// The grid the model works on: 3D models default to the paper's 0.29 µm isotropic voxels; a 2D model
    /// takes images at their own sampling unless a pixel size is given here (Y and X are used).
    /// </summary>
    public VoxelSize? ModelVoxelSize { get; init; } = VoxelSize.PaperIsotropic;

    public TrainingOptions Options { get; init; } = new();

    /// <summary>Per-image intensity normalisation of signal and target, recorded in the bundle so prediction applies the same (<see cref="Preprocessing.InputNormalisation"/>).</summary>
    public string Normalisation { get; init; } = Preprocessing.InputNormalisation.ZScore;

    public double TrainFraction { get; init; } = TrainTestSplit.DefaultTrainFraction;

    public int SplitSeed { get; init; } = 42;

    /// <summary>Holds train.csv, test.csv, losses.csv and the checkpoint.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Where the model bundle is written once training completes.</summary>
    public required string BundleDirectory { get; init; }

    /// <summary>Optional folder of control images (same settings, no label): adds C_max to the test metrics.</summary>
    public string? ControlsDirectory { get; init; }
}
