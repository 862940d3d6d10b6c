using LabelFree.Pipeline.Evaluation;

namespace LabelFree.Pipeline.Tests.Evaluation;

public class MetricSummaryTests
{
    [Fact]
    public void Quartiles_interpolate_linearly_like_numpy_percentile()
    {
        // numpy.percentile([1, 3, 5, 7], [25, 50, 75]) == [2.5, 4.0, 5.5]
        var summary = MetricSummary.Of([7, 1, 5, 3]);

        Assert.Equal(new MetricSummary(4, 1, 2.5, 4, 5.5, 7, 4), summary);
    }

    [Fact]
    public void Odd_count_median_is_the_middle_value()
    {
        // Sorted 0.2, 0.5, 0.7, 0.8, 0.9: quartile positions 1 and 3 fall on values.
        var summary = MetricSummary.Of([0.9, 0.2, 0.8, 0.5, 0.7]);

        Assert.Equal(0.7, summary.Median, 12);
        Assert.Equal(0.5, summary.LowerQuartile, 12);
        Assert.Equal(0.8, summary.UpperQuartile, 12);
        Assert.Equal(0.62, summary.Mean, 12);
        Assert.Equal(0.2, summary.Minimum);
        Assert.Equal(0.9, summary.Maximum);
    }

    [Fact]
    public void A_single_value_is_every_statistic()
    {
        Assert.Equal(new MetricSummary(1, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85), MetricSummary.Of([0.85]));
    }

    [Fact]
    public void Empty_or_non_finite_values_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => MetricSummary.Of([]));
        Assert.Throws<ArgumentException>(() => MetricSummary.Of([0.5, double.NaN]));
    }
}
