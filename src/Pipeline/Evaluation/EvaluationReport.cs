using System.Globalization;
using System.Text;

namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// A structure model scored on held-out pairs (METHOD.md §6): Pearson r per image, their summary
/// (n, median, quartiles), and the mean C_max when control images gave the noise level.
/// </summary>
public sealed record EvaluationReport(
    string Structure,
    string Model,
    string? WeightsSha256,
    IReadOnlyList<ImageEvaluation> Images,
    MetricSummary? PearsonSummary,
    double? NoiseVariance,
    CollectionCeiling? CMax)
{
    /// <param name="ceilings">One per image when control images gave <paramref name="noiseVariance"/>; otherwise null.</param>
    public static EvaluationReport Of(string structure, string model, string? weightsSha256,
        IReadOnlyList<ImageEvaluation> images, double? noiseVariance, IEnumerable<CorrelationCeiling>? ceilings)
    {
        var defined = images.Where(i => i.PearsonR is not null).Select(i => i.PearsonR!.Value).ToArray();
        return new EvaluationReport(structure, model, weightsSha256, images,
            defined.Length > 0 ? MetricSummary.Of(defined) : null,
            noiseVariance,
            ceilings is null ? null : CollectionCeiling.Of(ceilings));
    }

    /// <summary>One row per image: <c>image,pearson_r,c_max,undefined_reason</c>.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder("image,pearson_r,c_max,undefined_reason\n");
        foreach (var image in Images)
        {
            text.Append(Cell(image.Image)).Append(',')
                .Append(image.PearsonR?.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(image.CMax?.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(image.UndefinedReason ?? string.Empty)).Append('\n');
        }

        return text.ToString();
    }

    private static string Cell(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
