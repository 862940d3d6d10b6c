using LabelFree.Benchmarks;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class LoadAverageTests
{
    [Fact]
    public void The_three_averages_are_the_first_three_fields()
    {
        var load = LoadAverage.Parse("3.68 5.27 3.38 1/106 5767\n");

        Assert.Equal(new LoadAverage(3.68, 5.27, 3.38), load);
        Assert.Equal("3.68 5.27 3.38", load.ToString());
    }

    [Fact]
    public void A_line_without_three_numbers_is_refused()
    {
        Assert.Throws<FormatException>(() => LoadAverage.Parse("3.68 5.27"));
        Assert.Throws<FormatException>(() => LoadAverage.Parse("high 5.27 3.38 1/106 5767"));
    }
}
