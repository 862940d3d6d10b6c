using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Prediction;

public class TileAxisTests
{
    [Theory]
    [InlineData(32, 32, 8, 16, new[] { 0 })]
    [InlineData(20, 32, 8, 16, new[] { 0 })]
    [InlineData(368, 208, 86, 16, new[] { 0, 32, 64, 96, 128, 160 })]
    [InlineData(368, 256, 86, 16, new[] { 0, 64, 112 })]
    [InlineData(96, 64, 19, 4, new[] { 0, 16, 32 })]
    public void Tiles_start_on_the_grid_end_at_the_end_and_overlap_by_at_least_two_margins(int length, int tile, int margin, int multiple, int[] expected)
    {
        var starts = TileAxis.Starts(length, tile, margin, multiple)!;

        Assert.Equal(expected, starts);
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.True(pair.First + tile - pair.Second >= 2 * margin));
    }

    [Fact]
    public void A_tile_too_short_for_its_margins_has_no_starts()
    {
        Assert.Null(TileAxis.Starts(368, 176, 86, 16));
    }

    [Fact]
    public void Neighbouring_windows_are_zero_within_the_margin_and_sum_to_one()
    {
        int[] starts = [0, 32, 64];
        var windows = Enumerable.Range(0, 3).Select(i => TileAxis.Window(starts, i, 64, 10)).ToArray();

        var total = new double[128];
        for (var i = 0; i < 3; i++)
        {
            for (var k = 0; k < 64; k++)
            {
                total[starts[i] + k] += windows[i][k];
            }
        }

        Assert.All(total, sum => Assert.Equal(1.0, sum, 5));
        Assert.All(windows[1][..10], w => Assert.Equal(0f, w));
        Assert.All(windows[1][^10..], w => Assert.Equal(0f, w));
        Assert.All(windows[0][..32], w => Assert.Equal(1f, w)); // the volume's border keeps weight 1
    }

    [Fact]
    public void The_seam_margin_follows_the_receptive_field()
    {
        Assert.Equal(107, ReceptiveField.Radius(FnetArchitecture.Paper3D));
        Assert.Equal(107, ReceptiveField.SeamMargin(FnetArchitecture.Paper3D));
        Assert.Equal(23, ReceptiveField.Radius(FnetArchitecture.Paper3D with { Depth = 2 }));
    }
}
