using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Evaluation;

public class PearsonCorrelationTests
{
    [Fact]
    public void Matches_a_hand_computed_example()
    {
        // x = 1, 2, 3, 4 (mean 2.5), y = 2, 4, 5, 4 (mean 3.75):
        // Σdx·dy = 3.5, Σdx² = 5, Σdy² = 4.75, so r = 3.5 / sqrt(5 × 4.75) ≈ 0.7182.
        var r = PearsonCorrelation.Between([1f, 2f, 3f, 4f], [2f, 4f, 5f, 4f]);

        Assert.True(r.IsDefined);
        Assert.Equal(3.5 / Math.Sqrt(5 * 4.75), r.R!.Value, 12);
        Assert.Null(r.UndefinedReason);
    }

    [Fact]
    public void A_positive_linear_relation_gives_1_and_a_negative_one_gives_minus_1()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.37) * 100).ToArray();
        var doubled = x.Select(v => 2 * v + 3).ToArray();
        var negated = x.Select(v => -v).ToArray();

        Assert.Equal(1.0, PearsonCorrelation.Between(x, doubled).R!.Value, 9);
        Assert.Equal(-1.0, PearsonCorrelation.Between(x, negated).R!.Value, 12);
    }

    [Fact]
    public void Large_offsets_do_not_cost_precision()
    {
        // Camera counts around 30,000 with a spread of a few units: a one-pass float formula loses r here.
        var random = new Random(11);
        var x = Enumerable.Range(0, 10_000).Select(_ => 30_000f + (float)random.NextDouble() * 8).ToArray();
        var y = x.Select(v => v + 0.5f).ToArray();

        Assert.Equal(1.0, PearsonCorrelation.Between(x, y).R!.Value, 6);
    }

    [Fact]
    public void A_constant_image_gives_an_undefined_r_with_a_reason_not_NaN()
    {
        var constant = PearsonCorrelation.Between([5f, 5f, 5f], [1f, 2f, 3f]);
        var bothConstant = PearsonCorrelation.Between([5f, 5f], [7f, 7f]);

        Assert.False(constant.IsDefined);
        Assert.Null(constant.R);
        Assert.Contains("prediction is constant", constant.UndefinedReason, StringComparison.Ordinal);
        Assert.Contains("both constant", bothConstant.UndefinedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PearsonCorrelation.Between([1f, 2f], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => PearsonCorrelation.Between([], []));
        Assert.Throws<ArgumentException>(() => PearsonCorrelation.Between([1f, float.NaN], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => PearsonCorrelation.Between(new Volume(new VolumeShape(1, 2, 3)), new Volume(new VolumeShape(1, 3, 2))));
    }

    [Fact]
    public void Volumes_are_correlated_voxel_by_voxel()
    {
        var prediction = new Volume(new VolumeShape(1, 2, 2), [1f, 2f, 3f, 4f]);
        var target = new Volume(new VolumeShape(1, 2, 2), [2f, 4f, 5f, 4f]);

        Assert.Equal(3.5 / Math.Sqrt(5 * 4.75), PearsonCorrelation.Between(prediction, target).R!.Value, 12);
    }
}
