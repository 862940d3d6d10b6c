using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class SeededRandomTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(4)]
    [InlineData(37)]
    [InlineData(600)]
    public void Poisson_draws_have_the_mean_and_variance_of_a_poisson_distribution(double mean)
    {
        var random = new SeededRandom(42);
        const int n = 200_000;
        var draws = Enumerable.Range(0, n).Select(_ => (double)random.NextPoisson(mean)).ToArray();

        var sampleMean = draws.Average();
        var sampleVariance = draws.Select(d => (d - sampleMean) * (d - sampleMean)).Sum() / (n - 1);
        // Standard error of the mean is sqrt(mean / n); of the variance about mean * sqrt(2 / n).
        Assert.InRange(sampleMean, mean - 5 * Math.Sqrt(mean / n), mean + 5 * Math.Sqrt(mean / n));
        Assert.InRange(sampleVariance / mean, 0.98, 1.02);
    }

    [Fact]
    public void Gaussian_draws_are_standard_normal()
    {
        var random = new SeededRandom(7);
        var draws = Enumerable.Range(0, 200_000).Select(_ => random.NextGaussian()).ToArray();

        var mean = draws.Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(draws.Select(d => (d - mean) * (d - mean)).Average(), 0.98, 1.02);
        Assert.InRange(draws.Count(d => Math.Abs(d) < 1) / (double)draws.Length, 0.68, 0.687);
    }

    [Fact]
    public void A_seed_always_gives_the_same_numbers_and_streams_differ_by_key()
    {
        var a = SeededRandom.ForStream(1, 2, 3);
        var b = SeededRandom.ForStream(1, 2, 3);
        var swapped = SeededRandom.ForStream(1, 3, 2);

        var fromA = Enumerable.Range(0, 5).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(fromA, Enumerable.Range(0, 5).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(fromA, Enumerable.Range(0, 5).Select(_ => swapped.NextUInt64()).ToArray());
        Assert.Equal(SeededRandom.KeyOf("dna"), SeededRandom.KeyOf("dna"));
        Assert.NotEqual(SeededRandom.KeyOf("dna"), SeededRandom.KeyOf("membrane"));
    }

    [Fact]
    public void SplitMix64_matches_the_published_reference_sequence()
    {
        // First outputs of the reference C implementation (Vigna, splitmix64.c) seeded with 1234567.
        var random = new SeededRandom(1234567);

        Assert.Equal(6457827717110365317UL, random.NextUInt64());
        Assert.Equal(3203168211198807973UL, random.NextUInt64());
        Assert.Equal(9817491932198370423UL, random.NextUInt64());
    }
}
