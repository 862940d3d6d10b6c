using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class PaddedFieldTests
{
    [Theory]
    [InlineData(97, 100)]
    [InlineData(151, 160)]
    [InlineData(128, 128)]
    [InlineData(1, 1)]
    public void Smooth_lengths_have_only_factors_two_three_and_five(int minimum, int expected)
    {
        Assert.Equal(expected, PaddedField.SmoothLength(minimum));
    }
}
