using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Distribution;

/// <summary>
/// A compact description of the inputs a model was trained on, kept in its bundle (model.json,
/// "inputDistribution"): the mean and standard deviation of each <see cref="TextureFeatures"/> feature over the
/// patches of the normalised training inputs on the model grid, and an even sample of those patches' features.
/// A new input is scored by how far its patches lie from the nearest sampled training patch (<see cref="Score"/>);
/// past <see cref="Threshold"/> it is out of distribution and its prediction deserves less trust: fnet models
/// fail on cell types and modalities they were not trained on (Ounkomol 2018).
/// </summary>
/// <remarks>
/// Nearest neighbours rather than one mean and spread per feature: training inputs mix kinds of patch
/// (background and cells, focused and defocused planes), and a single Gaussian wide enough for all of them
/// accepted other modalities too (measured: docs/out-of-distribution.md).
/// </remarks>
public sealed record InputDistribution
{
    /// <summary>
    /// The default threshold on <see cref="DistributionScore.Score"/>: the input's median nearest-neighbour distance
    /// as a multiple of the training patches' own. Calibrated on the shared real data (docs/out-of-distribution.md):
    /// held-out regions of the training image scored 0.94 to 1.32, other data sets 2.29 to 15; 1.75 sits about 30 %
    /// from both.
    /// </summary>
    public const double DefaultThreshold = 1.75;

    /// <summary>At most this many training patches are kept as neighbours: 8 numbers each.</summary>
    public const int MaxReferencePatches = 512;

    // A feature that hardly varied in training (e.g. a constant-texture set) would make every new patch look infinitely far.
    private const double MinimumStandardDeviation = 0.05;

    /// <summary>The features described, in order (<see cref="TextureFeatures.Names"/> when written).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Side of the YX patches, pixels on the model grid.</summary>
    public required int PatchSize { get; init; }

    /// <summary>How many training patches were measured.</summary>
    public required long Patches { get; init; }

    /// <summary>Mean of each feature over the training patches.</summary>
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Standard deviation of each feature over the training patches (population): the unit of distances.</summary>
    public required IReadOnlyList<double> StandardDeviation { get; init; }

    /// <summary>An even sample of the training patches' features (every n-th patch), the neighbours new patches are measured against.</summary>
    public required IReadOnlyList<double[]> Reference { get; init; }

    /// <summary>
    /// The median distance of a reference patch to its nearest reference patch from another place (another YX
    /// position or another volume): how close in-distribution patches lie, the unit of the score (a sparse description has larger gaps than a dense one).
    /// </summary>
    public required double TypicalDistance { get; init; }

    /// <summary>Scores above this flag an input as out of distribution.</summary>
    public required double Threshold { get; init; }

    /// <summary>
    /// Describes the normalised training inputs on the model grid, every patch of every plane of each; null when they
    /// hold a single patch (one small plane), too little to tell typical from atypical: such a model is not scored.
    /// </summary>
    public static InputDistribution? Describe(IEnumerable<Volume> normalisedSignals)
    {
        ArgumentNullException.ThrowIfNull(normalisedSignals);
        // Each patch with its place (which volume, which YX position in the plane), so that a patch is never
        // measured against itself in another plane: neighbouring planes of a stack are near copies, and new inputs
        // come from other places, not from the planes next door.
        var patches = new List<double[]>();
        var places = new List<(int Volume, int Position)>();
        foreach (var (signal, volume) in normalisedSignals.Select((signal, volume) => (signal, volume)))
        {
            var measured = TextureFeatures.Measure(signal);
            var perPlane = measured.Count / signal.Depth;
            patches.AddRange(measured);
            places.AddRange(measured.Select((_, i) => (volume, i % perPlane)));
        }

        if (patches.Count < 2)
        {
            return null;
        }

        var count = TextureFeatures.Names.Count;
        var mean = new double[count];
        var standardDeviation = new double[count];
        for (var f = 0; f < count; f++)
        {
            mean[f] = patches.Average(p => p[f]);
            standardDeviation[f] = Math.Sqrt(patches.Average(p => (p[f] - mean[f]) * (p[f] - mean[f])));
        }

        var kept = Math.Min(MaxReferencePatches, patches.Count);
        var sampled = Enumerable.Range(0, kept).Select(i => (int)((long)i * patches.Count / kept)).ToArray();
        var reference = sampled.Select(i => patches[i]).ToArray();
        var description = new InputDistribution
        {
            Features = TextureFeatures.Names,
            PatchSize = TextureFeatures.PatchSize,
            Patches = patches.Count,
            Mean = mean,
            StandardDeviation = standardDeviation,
            Reference = reference,
            TypicalDistance = 1,
            Threshold = DefaultThreshold,
        };
        var ownDistances = sampled.Select(patch => description.NearestDistance(patches[patch], r => places[sampled[r]] == places[patch]))
            .Where(double.IsFinite).ToArray();
        if (ownDistances.Length == 0)
        {
            // Every patch comes from one place (a single small image): then only the patch itself is left out.
            ownDistances = sampled.Select((patch, i) => description.NearestDistance(patches[patch], r => r == i)).ToArray();
        }

        return description with { TypicalDistance = Math.Max(Median(ownDistances), 1e-3) };
    }

    /// <summary>
    /// How far a normalised input on the model grid lies from the training inputs: per patch the distance to the
    /// nearest reference patch (root-mean-square over features of the difference in training standard
    /// deviations), the median over patches, over <see cref="TypicalDistance"/>. Near 1 for inputs like the
    /// training ones; the median lets a few odd patches (debris, an edge) pass but not a stack that mostly differs.
    /// </summary>
    public DistributionScore Score(Volume normalisedInput)
    {
        ArgumentNullException.ThrowIfNull(normalisedInput);
        var distances = TextureFeatures.Measure(normalisedInput).Select(patch => NearestDistance(patch, _ => false));
        return new DistributionScore(Median(distances) / TypicalDistance, Threshold);
    }

    /// <summary>What makes this description unusable by this LabelFree (empty when none).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Features.SequenceEqual(TextureFeatures.Names) || PatchSize != TextureFeatures.PatchSize)
        {
            problems.Add($"inputDistribution describes features [{string.Join(", ", Features)}] on {PatchSize}-pixel patches; this LabelFree measures [{string.Join(", ", TextureFeatures.Names)}] on {TextureFeatures.PatchSize}-pixel patches.");
        }

        if (Mean.Count != Features.Count || StandardDeviation.Count != Features.Count || Reference.Count == 0 || Reference.Any(r => r.Length != Features.Count))
        {
            problems.Add($"inputDistribution needs a mean, a standard deviation and reference patches of {Features.Count} features each.");
        }

        var numbers = Mean.Concat(StandardDeviation).Concat(Reference.SelectMany(r => r)).Append(TypicalDistance).Append(Threshold);
        if (numbers.Any(v => !double.IsFinite(v)) || StandardDeviation.Any(s => s < 0) || !(TypicalDistance > 0) || !(Threshold > 0) || Patches < 1)
        {
            problems.Add("inputDistribution needs finite numbers, non-negative standard deviations, a positive typical distance and threshold, and at least one patch.");
        }

        return problems;
    }

    private double NearestDistance(double[] features, Func<int, bool> excluded)
    {
        var nearest = double.PositiveInfinity;
        for (var r = 0; r < Reference.Count; r++)
        {
            if (excluded(r))
            {
                continue;
            }

            var reference = Reference[r];
            var sum = 0.0;
            for (var f = 0; f < features.Length; f++)
            {
                var z = (features[f] - reference[f]) / Math.Max(StandardDeviation[f], MinimumStandardDeviation);
                sum += z * z;
            }

            nearest = Math.Min(nearest, sum);
        }

        return Math.Sqrt(nearest / features.Length);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
