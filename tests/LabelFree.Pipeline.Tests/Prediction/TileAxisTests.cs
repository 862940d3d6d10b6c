using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Tests.Prediction;

public class TileAxisTests
{
    [Theory]
    [InlineData(32, 32, 16, new[] { 0 })]
    [InlineData(20, 32, 16, new[] { 0 })]
    [InlineData(64, 32, 16, new[] { 0, 16, 32 })]
    [InlineData(96, 32, 8, new[] { 0, 24, 48, 64 })]
    [InlineData(100, 64, 16, new[] { 0, 36 })]
    [InlineData(368, 256, 32, new[] { 0, 112 })]
    public void Tiles_step_by_tile_minus_overlap_and_the_last_ends_at_the_end(int length, int tile, int overlap, int[] expected)
    {
        Assert.Equal(expected, TileAxis.Starts(length, tile, overlap));
    }

    [Fact]
    public void Windows_of_tiles_overlapping_by_the_ramp_width_sum_to_one()
    {
        var first = TileAxis.Window(32, neighbourBefore: false, neighbourAfter: true, overlap: 16);
        var second = TileAxis.Window(32, neighbourBefore: true, neighbourAfter: false, overlap: 16);

        // Tiles at 0 and 16: voxel 16 + k is first[16 + k] and second[k].
        for (var k = 0; k < 16; k++)
        {
            Assert.Equal(1.0, first[16 + k] + second[k], 6);
        }
    }

    [Fact]
    public void A_window_is_one_at_volume_borders_and_never_zero()
    {
        var window = TileAxis.Window(64, neighbourBefore: false, neighbourAfter: true, overlap: 16);

        Assert.All(window[..48], weight => Assert.Equal(1f, weight));
        Assert.All(window, weight => Assert.True(weight > 0));
        Assert.True(window[63] < 0.01);
        Assert.True(window[48] > window[55] && window[55] > window[63], "the ramp falls towards the tile edge");
    }
}
