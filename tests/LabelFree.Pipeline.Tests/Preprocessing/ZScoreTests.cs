using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

public class ZScoreTests
{
    [Fact]
    public void Normalised_volume_has_mean_0_and_population_std_1()
    {
        // Camera-like values: a large offset and a modest spread, where float32 sums would lose digits.
        var random = new Random(7);
        var input = new Volume(new VolumeShape(4, 30, 40));
        for (var i = 0; i < input.Voxels.Length; i++)
        {
            input.Voxels[i] = 10_000f + (float)(random.NextDouble() * 300);
        }

        var result = ZScore.Normalize(input);

        double sum = 0, squares = 0;
        foreach (var v in result.Voxels)
        {
            sum += v;
        }

        var mean = sum / result.Voxels.Length;
        foreach (var v in result.Voxels)
        {
            squares += (v - mean) * (v - mean);
        }

        Assert.Equal(0.0, mean, 1e-6);
        Assert.Equal(1.0, Math.Sqrt(squares / result.Voxels.Length), 1e-6);
        Assert.Equal(input.Shape, result.Shape);
    }

    [Fact]
    public void Normalised_values_follow_the_hand_computed_formula()
    {
        // Values 1, 2, 3, 4: mean 2.5, population variance 1.25.
        var input = new Volume(new VolumeShape(1, 2, 2), [1f, 2f, 3f, 4f]);

        var result = ZScore.Normalize(input);

        var std = Math.Sqrt(1.25);
        Assert.Equal([(float)(-1.5 / std), (float)(-0.5 / std), (float)(0.5 / std), (float)(1.5 / std)], result.Voxels);
        Assert.Equal([1f, 2f, 3f, 4f], input.Voxels);
    }

    [Fact]
    public void Constant_volume_is_rejected_with_the_value_named()
    {
        var input = new Volume(new VolumeShape(2, 3, 3));
        input.Voxels.AsSpan().Fill(412f);

        var error = Assert.Throws<ConstantImageException>(() => ZScore.Normalize(input));

        Assert.Equal(412f, error.Value);
        Assert.Contains("412", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_voxels_are_rejected()
    {
        var input = new Volume(new VolumeShape(1, 1, 3), [1f, float.NaN, 2f]);

        var error = Assert.Throws<ArgumentException>(() => ZScore.Normalize(input));

        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }
}
