using System.Text.RegularExpressions;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// model.json: everything needed to use a model bundle correctly and to know where it came from.
/// Field names follow bioimage.io where one fits (name, description, authors, license, inputs, outputs).
/// </summary>
public sealed partial record ModelManifest
{
    public const int CurrentFormatVersion = 1;

    public const string PyTorchStateDictFormat = "pytorch_state_dict";

    public required int FormatVersion { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<ModelAuthor> Authors { get; init; } = [];

    /// <summary>SPDX licence identifier of the weights.</summary>
    public string? License { get; init; }

    public required string Structure { get; init; }

    public required string InputModality { get; init; }

    public required FnetArchitecture Network { get; init; }

    /// <summary>Voxel size (µm, ZYX) inputs are resampled to; required for 3D models.</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>Pixel size (µm) for 2D models such as the EM one.</summary>
    public double? PixelSizeMicrometres { get; init; }

    /// <summary>Per-image intensity normalisation of inputs and training targets: "zscore" (the paper's) or "percentile" (<see cref="InputNormalisation"/>).</summary>
    public required string Normalisation { get; init; }

    /// <summary>Where the weights came from when not trained here, e.g. "imported from model.p (pytorch_fnet checkpoint ...)".</summary>
    public string? Origin { get; init; }

    public TrainingSummary? Training { get; init; }

    public TestMetrics? TestMetrics { get; init; }

    /// <summary>
    /// What the normalised training inputs looked like, for the out-of-distribution score of each predicted
    /// stack; absent in bundles trained before it was recorded and in imported ones (then no score is given).
    /// </summary>
    public InputDistribution? InputDistribution { get; init; }

    /// <summary>bioimage.io-style input description, derived from the network and the normalisation.</summary>
    public IReadOnlyList<TensorDescription> Inputs =>
        [new TensorDescription(TensorId(InputModality), Axes) { Preprocessing = [new ProcessingStep("zero_mean_unit_variance", Axes[2..], "per_sample")] }];

    /// <summary>bioimage.io-style output description: the predicted structure, in z-score units.</summary>
    public IReadOnlyList<TensorDescription> Outputs => [new TensorDescription(TensorId(Structure), Axes) { Postprocessing = [] }];

    /// <summary>Set by <see cref="ModelBundle.Save"/>; a saved model.json must have it.</summary>
    public WeightsFile? Weights { get; init; }

    /// <summary>When the bundle was written (UTC); set by <see cref="ModelBundle.Save"/>.</summary>
    public DateTime? CreatedUtc { get; init; }

    /// <summary>Versions of the libraries that wrote the bundle; set by <see cref="ModelBundle.Save"/>.</summary>
    public LibraryVersions? Libraries { get; init; }

    /// <summary>
    /// The compute level and self-test verdicts of the process that trained (or last saved) the bundle:
    /// what computed these weights. Set by <see cref="ModelBundle.Save"/>; null where no level was verified.
    /// </summary>
    public ComputeRecord? Compute { get; init; }

    private string Axes => Network.Dimensions == 3 ? "bczyx" : "bcyx";

    /// <summary>A manifest for a network described by <paramref name="card"/>; training fields stay empty for the trainer or importer to fill.</summary>
    /// <exception cref="ArgumentException">The card leaves out something the model needs (e.g. a 3D model's voxel size).</exception>
    public static ModelManifest Describe(ModelCard card, FnetArchitecture network)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(network);
        var manifest = new ModelManifest
        {
            FormatVersion = CurrentFormatVersion,
            Name = card.Name ?? $"fnet {card.Structure} from {card.InputModality} ({network.Dimensions}D)",
            Description = card.Description,
            Authors = card.Authors,
            License = card.License,
            Structure = card.Structure,
            InputModality = card.InputModality,
            Network = network,
            VoxelSize = card.VoxelSize,
            PixelSizeMicrometres = card.PixelSizeMicrometres,
            Normalisation = card.Normalisation,
        };
        var problems = manifest.Problems(saved: false);
        return problems.Count == 0 ? manifest : throw new ArgumentException(string.Join(" ", problems), nameof(card));
    }

    /// <summary>What is wrong with this manifest; <paramref name="saved"/> also requires the fields Save writes.</summary>
    internal IReadOnlyList<string> Problems(bool saved)
    {
        var problems = new List<string>();
        if (FormatVersion != CurrentFormatVersion)
        {
            problems.Add($"formatVersion {FormatVersion} is not supported (this LabelFree reads {CurrentFormatVersion}).");
        }

        RequireText(problems, "name", Name);
        RequireText(problems, "structure", Structure);
        RequireText(problems, "inputModality", InputModality);
        try
        {
            Network.Validate();
        }
        catch (ArgumentException error)
        {
            problems.Add($"network: {error.Message}");
        }

        if (!InputNormalisation.IsKnown(Normalisation))
        {
            problems.Add($"normalisation \"{Normalisation}\" is not supported (only {string.Join(", ", InputNormalisation.Known.Select(n => $"\"{n}\""))}).");
        }

        if (VoxelSize is { IsValid: false } voxelSize)
        {
            problems.Add($"voxelSize {voxelSize} must be positive and finite on every axis.");
        }

        if (Network.Dimensions == 3 && VoxelSize is null)
        {
            problems.Add("voxelSize is required for a 3D model: inputs are resampled to it before prediction.");
        }

        if (PixelSizeMicrometres is { } pixel && !(double.IsFinite(pixel) && pixel > 0))
        {
            problems.Add($"pixelSizeMicrometres {pixel} must be positive and finite.");
        }

        if (InputDistribution is not null)
        {
            problems.AddRange(InputDistribution.Problems());
        }

        if (saved)
        {
            AddSavedFieldProblems(problems);
        }

        return problems;
    }

    private static void RequireText(List<string> problems, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field} must not be empty.");
        }
    }

    private static string TensorId(string label) => NonIdentifier().Replace(label.ToLowerInvariant(), "_");

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonIdentifier();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    private void AddSavedFieldProblems(List<string> problems)
    {
        if (Weights is null)
        {
            problems.Add("weights is missing.");
        }
        else
        {
            if (Weights.File != Path.GetFileName(Weights.File) || Weights.File is "" or "." or "..")
            {
                problems.Add($"weights.file \"{Weights.File}\" must be a file name inside the bundle folder.");
            }

            if (Weights.Format != PyTorchStateDictFormat)
            {
                problems.Add($"weights.format \"{Weights.Format}\" is not supported (only \"{PyTorchStateDictFormat}\").");
            }

            if (!Sha256Hex().IsMatch(Weights.Sha256))
            {
                problems.Add($"weights.sha256 \"{Weights.Sha256}\" is not 64 lower-case hex digits.");
            }
        }

        if (CreatedUtc is null)
        {
            problems.Add("createdUtc is missing.");
        }

        if (Libraries is null)
        {
            problems.Add("libraries is missing.");
        }
    }
}
