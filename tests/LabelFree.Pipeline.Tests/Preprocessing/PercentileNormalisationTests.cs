using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

public class PercentileNormalisationTests
{
    [Fact]
    public void The_first_and_99_8th_percentiles_go_to_0_and_1_as_numpy_computes_them()
    {
        // numpy.percentile(np.arange(1000, dtype=np.float32) ** 1.5, [1, 99.8]) (linear interpolation between sorted values)
        const double low = 31.5765482711792;
        const double high = 31480.674828124997;
        var values = Enumerable.Range(0, 1000).Select(i => (float)Math.Pow(i, 1.5)).Reverse().ToArray();
        var volume = new Volume(new VolumeShape(10, 10, 10), values.ToArray());

        var normalised = InputNormalisation.Apply(volume, InputNormalisation.Percentile);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal((values[i] - low) / (high - low), normalised.Voxels[i], 1e-5);
        }

        Assert.Equal(values, volume.Voxels);
    }

    [Fact]
    public void A_constant_image_is_refused_and_a_mostly_empty_one_is_scaled_by_its_range()
    {
        Assert.Throws<ConstantImageException>(() => PercentileNormalisation.Normalize(new Volume(new VolumeShape(1, 4, 4), Enumerable.Repeat(3f, 16).ToArray())));

        var sparse = new float[1000];
        sparse[10] = 5;
        var normalised = PercentileNormalisation.Normalize(new Volume(new VolumeShape(1, 10, 100), sparse));

        Assert.Equal(0f, normalised.Voxels[0]);
        Assert.Equal(1f, normalised.Voxels[10]);
    }

    [Fact]
    public void An_unknown_normalisation_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => InputNormalisation.Apply(new Volume(new VolumeShape(1, 2, 2), [1, 2, 3, 4]), "minmax"));
    }
}
