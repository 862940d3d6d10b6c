namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// The distribution of a metric over a set of images (the paper shows r per structure as box plots).
/// Quartiles and median use linear interpolation between order statistics, numpy.percentile's default:
/// position (n - 1) × q in the sorted values.
/// </summary>
public sealed record MetricSummary(
    int Count,
    double Minimum,
    double LowerQuartile,
    double Median,
    double UpperQuartile,
    double Maximum,
    double Mean)
{
    /// <exception cref="ArgumentException">No values, or a NaN or infinite value.</exception>
    public static MetricSummary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("There are no values to summarise.", nameof(values));
        }

        if (sorted.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("The values hold NaN or infinite entries: filter undefined metrics out first.", nameof(values));
        }

        Array.Sort(sorted);
        var sum = 0.0;
        foreach (var value in sorted)
        {
            sum += value;
        }

        return new MetricSummary(
            sorted.Length,
            sorted[0],
            Quantile(sorted, 0.25),
            Quantile(sorted, 0.5),
            Quantile(sorted, 0.75),
            sorted[^1],
            sum / sorted.Length);
    }

    /// <summary>The q-quantile of sorted values, numpy's 'linear' method.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("There are no values.", nameof(sorted));
        }

        if (q is < 0 or > 1 || double.IsNaN(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must lie in [0, 1].");
        }

        var position = (sorted.Count - 1) * q;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
