using LabelFree.Benchmarks;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class AgreementTests
{
    private static readonly Volume Reference = new(new VolumeShape(1, 1, 4), [1, 2, 3, 4]);

    [Fact]
    public void Differences_are_measured_against_the_reference_spread()
    {
        // Reference std = sqrt(1.25); one voxel off by 1 gives RMS 0.5 and max 1.
        var agreement = Agreement.Between("one voxel off", new Volume(Reference.Shape, [1, 2, 3, 5]), Reference);

        Assert.Equal(0.5 / Math.Sqrt(1.25), agreement.RelativeRmsDifference, precision: 12);
        Assert.Equal(1 / Math.Sqrt(1.25), agreement.RelativeMaxDifference, precision: 12);
        Assert.InRange(agreement.R, 0.95, 0.99);
    }

    [Fact]
    public void Identical_predictions_agree_perfectly()
    {
        var agreement = Agreement.Between("same", Reference.Clone(), Reference);

        Assert.Equal(new Agreement("same", 1.0, 0, 0), agreement with { R = Math.Round(agreement.R, 12) });
    }
}
