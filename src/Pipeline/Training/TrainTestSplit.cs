namespace LabelFree.Pipeline.Training;

/// <summary>
/// A seeded random split of pairs into training and test sets (75/25 by default, as the paper's
/// 3D scripts). The seed and fraction are recorded in the model bundle so the split can be redone.
/// </summary>
public sealed record TrainTestSplit(IReadOnlyList<ImagePair> Train, IReadOnlyList<ImagePair> Test, int Seed, double TrainFraction)
{
    public const double DefaultTrainFraction = 0.75;

    public static TrainTestSplit Create(IReadOnlyList<ImagePair> pairs, int seed, double trainFraction = DefaultTrainFraction)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("There are no pairs to split.", nameof(pairs));
        }

        if (!(trainFraction > 0 && trainFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), $"The training fraction must be in (0, 1], got {trainFraction}.");
        }

        // Fisher-Yates with our own generator: the same seed gives the same split on every platform.
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        var random = new SeededRandom((ulong)seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var trainCount = Math.Clamp((int)Math.Round(pairs.Count * trainFraction, MidpointRounding.AwayFromZero), 1, pairs.Count);
        return new TrainTestSplit(
            order.Take(trainCount).Select(i => pairs[i]).ToArray(),
            order.Skip(trainCount).Select(i => pairs[i]).ToArray(),
            seed,
            trainFraction);
    }
}
