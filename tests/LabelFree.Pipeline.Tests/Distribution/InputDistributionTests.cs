using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Distribution;

/// <summary>The out-of-distribution score on synthetic textures: blurred noise of one grain size is the training distribution.</summary>
public class InputDistributionTests
{
    private static readonly VolumeShape Shape = new(2, 128, 128);

    [Fact]
    public void New_samples_of_the_training_distribution_are_not_flagged()
    {
        var description = Trained();

        var scores = Enumerable.Range(100, 4).Select(seed => description.Score(Texture(seed, grain: 2, noise: 0))).ToList();

        Assert.All(scores, s => Assert.False(s.OutOfDistribution, $"score {s.Score:0.00} of threshold {s.Threshold}"));
        Assert.All(scores, s => Assert.InRange(s.Score, 0.3, 1.5));
    }

    [Theory]
    [InlineData(5, 0.0)] // coarser texture: larger structures, or a finer pixel size than in training
    [InlineData(1, 0.0)] // finer texture
    [InlineData(2, 1.0)] // the same texture under as much white noise as signal
    public void A_shifted_distribution_is_flagged(int grain, double noise)
    {
        var description = Trained();

        var score = description.Score(Texture(200, grain, noise));

        Assert.True(score.OutOfDistribution, $"score {score.Score:0.00} of threshold {score.Threshold}");
    }

    [Fact]
    public void The_description_is_deterministic_and_keeps_a_bounded_sample_of_patches()
    {
        var first = Trained();
        var second = Trained();

        Assert.Equal(first.Mean, second.Mean);
        Assert.Equal(first.TypicalDistance, second.TypicalDistance);
        Assert.Equal(3 * 2 * 16, first.Patches);
        Assert.InRange(first.Reference.Count, 2, InputDistribution.MaxReferencePatches);
        Assert.Empty(first.Problems());
    }

    [Fact]
    public void Training_inputs_of_a_single_patch_are_too_little_to_describe()
    {
        static Volume Planes(int planes) => ZScore.Normalize(new Volume(new VolumeShape(planes, 24, 24), Enumerable.Range(0, planes * 576).Select(i => (float)(i % 5)).ToArray()));

        Assert.Null(InputDistribution.Describe([Planes(1)]));
        Assert.NotNull(InputDistribution.Describe([Planes(2)]));
    }

    private static InputDistribution Trained() => InputDistribution.Describe(Enumerable.Range(1, 3).Select(seed => Texture(seed, grain: 2, noise: 0)))!;

    // Gaussian noise box-blurred over (2 grain + 1)^2 pixels, plus white noise of `noise` times its std; z-scored as before prediction.
    private static Volume Texture(int seed, int grain, double noise)
    {
        var random = new SeededRandom((ulong)seed);
        var white = new Volume(Shape);
        for (var i = 0; i < white.Voxels.Length; i++)
        {
            white.Voxels[i] = (float)random.NextGaussian();
        }

        var blurred = ZScore.Normalize(Blur(white, grain));
        for (var i = 0; i < blurred.Voxels.Length; i++)
        {
            blurred.Voxels[i] += (float)(noise * random.NextGaussian());
        }

        return ZScore.Normalize(blurred);
    }

    private static Volume Blur(Volume volume, int radius)
    {
        var result = new Volume(volume.Shape);
        for (var z = 0; z < Shape.Z; z++)
        {
            for (var y = 0; y < Shape.Y; y++)
            {
                for (var x = 0; x < Shape.X; x++)
                {
                    var sum = 0.0;
                    var count = 0;
                    for (var dy = -radius; dy <= radius; dy++)
                    {
                        for (var dx = -radius; dx <= radius; dx++)
                        {
                            if (y + dy is >= 0 and < 128 && x + dx is >= 0 and < 128)
                            {
                                sum += volume[z, y + dy, x + dx];
                                count++;
                            }
                        }
                    }

                    result[z, y, x] = (float)(sum / count);
                }
            }
        }

        return result;
    }
}
