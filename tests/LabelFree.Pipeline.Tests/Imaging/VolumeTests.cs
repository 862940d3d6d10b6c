using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Imaging;

public class VolumeTests
{
    [Fact]
    public void Counting_non_finite_voxels_counts_nan_and_both_infinities_anywhere_and_nothing_finite()
    {
        // 3 x 7 x 11 voxels: not a multiple of any vector width, so the scalar tail is exercised too.
        var volume = new Volume(new VolumeShape(3, 7, 11));
        Array.Fill(volume.Voxels, float.MaxValue);
        volume.Voxels[0] = float.NaN;
        volume.Voxels[1] = float.NaN;
        volume.Voxels[100] = float.PositiveInfinity;
        volume.Voxels[^1] = float.NegativeInfinity;
        volume[1, 0, 0] = -float.MaxValue;
        volume[2, 6, 9] = float.Epsilon;

        Assert.Equal(4, volume.CountNonFinite());
        Assert.Equal(0, new Volume(new VolumeShape(1, 5, 5)).CountNonFinite());
    }
}
