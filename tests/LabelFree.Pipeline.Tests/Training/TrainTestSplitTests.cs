using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Tests.Training;

public class TrainTestSplitTests
{
    private static readonly ImagePair[] Pairs =
        Enumerable.Range(0, 40).Select(i => new ImagePair($"/s{i}.tif", $"/t{i}.tif")).ToArray();

    [Fact]
    public void The_default_split_is_75_25_and_covers_every_pair_once()
    {
        var split = TrainTestSplit.Create(Pairs, seed: 42);

        Assert.Equal(30, split.Train.Count);
        Assert.Equal(10, split.Test.Count);
        Assert.Equal(Pairs.OrderBy(p => p.SignalPath), split.Train.Concat(split.Test).OrderBy(p => p.SignalPath));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var first = TrainTestSplit.Create(Pairs, seed: 7);
        var again = TrainTestSplit.Create(Pairs, seed: 7);
        var other = TrainTestSplit.Create(Pairs, seed: 8);

        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Test, other.Test);
        Assert.NotEqual(Pairs.Skip(30), first.Test);
    }

    [Fact]
    public void A_single_pair_goes_to_training()
    {
        var split = TrainTestSplit.Create(Pairs.Take(1).ToArray(), seed: 1);

        Assert.Single(split.Train);
        Assert.Empty(split.Test);
    }
}
