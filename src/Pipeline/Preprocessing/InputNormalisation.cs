using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// The per-image intensity normalisation a model was trained with, by the name model.json records
/// (<c>normalisation</c>). Training applies it to signal and target, prediction to the input, so a bundle
/// is always used the way it was trained.
/// </summary>
public static class InputNormalisation
{
    /// <summary>The paper's: (x - mean) / std per image (<see cref="Preprocessing.ZScore"/>).</summary>
    public const string ZScore = "zscore";

    /// <summary>CARE's: 1st and 99.8th percentiles to 0 and 1 (<see cref="PercentileNormalisation"/>).</summary>
    public const string Percentile = "percentile";

    public static IReadOnlyList<string> Known { get; } = [ZScore, Percentile];

    public static bool IsKnown(string? normalisation) => normalisation is ZScore or Percentile;

    /// <exception cref="ArgumentException">The name is not one of <see cref="Known"/>.</exception>
    /// <exception cref="ConstantImageException">The volume has no contrast.</exception>
    public static Volume Apply(Volume volume, string normalisation) => normalisation switch
    {
        ZScore => Preprocessing.ZScore.Normalize(volume),
        Percentile => PercentileNormalisation.Normalize(volume),
        _ => throw new ArgumentException($"Unknown normalisation \"{normalisation}\" (known: {string.Join(", ", Known)}).", nameof(normalisation)),
    };
}
