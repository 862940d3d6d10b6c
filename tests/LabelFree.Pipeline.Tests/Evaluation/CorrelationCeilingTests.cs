using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Evaluation;

public class CorrelationCeilingTests
{
    [Fact]
    public void Signal_variance_4_over_noise_variance_1_gives_sqrt_0_8()
    {
        // T = S + N with var(S) = 4 and var(N) = 1: SNR = 4, C_max = sqrt(4 / 5) ≈ 0.894.
        // With 200,000 target voxels and 150,000 control voxels the standard error of C_max is about 5e-4,
        // so 3e-3 is over five standard errors; the seed fixes the draw.
        var random = new Random(1234);
        var signal = Gaussian(random, 200_000, standardDeviation: 2, offset: 1_000);
        var target = signal.Select(s => s + (float)NextGaussian(random)).ToArray();
        var controls = Enumerable.Range(0, 3)
            .Select(_ => new Volume(new VolumeShape(1, 250, 200), Gaussian(random, 50_000, standardDeviation: 1, offset: 1_000)))
            .ToArray();

        var noiseVariance = CorrelationCeiling.EstimateNoiseVariance(controls);
        var ceiling = CorrelationCeiling.ForTarget(target, noiseVariance);

        Assert.Equal(1.0, noiseVariance, 0.02);
        Assert.Equal(4.0, ceiling.SignalToNoise!.Value, 0.1);
        Assert.Equal(Math.Sqrt(0.8), ceiling.CMax!.Value, 3e-3);
        // What the ceiling means: the perfect prediction S correlates with T at C_max.
        Assert.Equal(ceiling.CMax!.Value, PearsonCorrelation.Between(signal, target).R!.Value, 3e-3);
    }

    [Fact]
    public void Noise_variance_is_the_mean_of_the_controls_population_variances()
    {
        // [0, 2] has variance 1, [0, 4] has variance 4: mean 2.5.
        Volume[] controls = [new(new VolumeShape(1, 1, 2), [0f, 2f]), new(new VolumeShape(1, 1, 2), [0f, 4f])];

        Assert.Equal(2.5, CorrelationCeiling.EstimateNoiseVariance(controls), 12);
    }

    [Fact]
    public void Target_variance_equal_to_the_noise_gives_0_and_below_it_is_undefined()
    {
        float[] varianceOne = [0f, 2f];

        var equal = CorrelationCeiling.ForTarget(varianceOne, noiseVariance: 1);
        var below = CorrelationCeiling.ForTarget(varianceOne, noiseVariance: 1.5);

        Assert.Equal(0.0, equal.CMax);
        Assert.False(below.IsDefined);
        Assert.Null(below.SignalToNoise);
        Assert.Contains("below the noise variance", below.UndefinedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Collection_ceiling_is_the_mean_over_images_with_a_defined_ceiling()
    {
        // var 4 with noise 1 → sqrt(0.75); var 1 with noise 1 → 0; var 1 with noise 2 → undefined.
        CorrelationCeiling[] ceilings =
        [
            CorrelationCeiling.ForTarget([0f, 4f], 1),
            CorrelationCeiling.ForTarget([0f, 2f], 1),
            CorrelationCeiling.ForTarget([0f, 2f], 2),
        ];

        var collection = CollectionCeiling.Of(ceilings);

        Assert.Equal(Math.Sqrt(0.75) / 2, collection.MeanCMax!.Value, 12);
        Assert.Equal(2, collection.ImagesUsed);
        Assert.Equal(1, collection.ImagesUndefined);
        Assert.Null(CollectionCeiling.Of([ceilings[2]]).MeanCMax);
    }

    [Fact]
    public void Bad_controls_and_noise_variances_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => CorrelationCeiling.EstimateNoiseVariance([]));
        Assert.Throws<ConstantImageException>(() => CorrelationCeiling.EstimateNoiseVariance([new Volume(new VolumeShape(1, 1, 3))]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CorrelationCeiling.ForTarget([0f, 2f], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CorrelationCeiling.ForTarget([0f, 2f], double.NaN));
    }

    private static float[] Gaussian(Random random, int count, double standardDeviation, double offset) =>
        Enumerable.Range(0, count).Select(_ => (float)(offset + standardDeviation * NextGaussian(random))).ToArray();

    /// <summary>Box-Muller: a standard normal draw from two uniform ones.</summary>
    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
