using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class MyelinatedTissueTests
{
    private static readonly TissueComposition Composition = new();
    private static readonly MyelinatedTissue Tissue = MyelinatedTissue.Generate(0, 0, 40, 40, Composition, 5);

    [Fact]
    public void Axon_profiles_never_overlap()
    {
        var axons = Tissue.Axons;
        for (var i = 0; i < axons.Count; i++)
        {
            for (var j = i + 1; j < axons.Count; j++)
            {
                var distance = Math.Sqrt(Math.Pow(axons[i].CenterX - axons[j].CenterX, 2) + Math.Pow(axons[i].CenterY - axons[j].CenterY, 2));
                Assert.True(distance >= axons[i].Reach + axons[j].Reach, $"Axons {i} and {j} overlap.");
            }
        }
    }

    [Fact]
    public void The_tissue_has_the_requested_make_up()
    {
        var axons = Tissue.Axons;
        var covered = axons.Sum(a => Math.PI * a.OuterRadius * a.OuterRadius);
        var myelinated = axons.Where(a => a.IsMyelinated).ToArray();

        Assert.InRange(covered / (40.0 * 40.0), 0.3, 0.5);
        Assert.InRange(myelinated.Length / (double)axons.Count(a => a.Radius >= Composition.MinimumMyelinatedRadiusMicrometres), 0.3, 0.8);
        Assert.All(myelinated, a => Assert.InRange(a.Radius / a.OuterRadius, Composition.MinimumGRatio, Composition.MaximumGRatio));
        Assert.All(axons.Where(a => a.Radius < Composition.MinimumMyelinatedRadiusMicrometres), a => Assert.False(a.IsMyelinated));
    }

    [Fact]
    public void Myelin_coverage_is_one_in_the_ring_and_zero_in_the_axon_and_outside()
    {
        var axon = new Axon(0, 0, 0.5, 0.2, 0, 0);

        Assert.Equal(1, MyelinMap.Coverage(axon, 0.6, 0), 6);
        Assert.Equal(0, MyelinMap.Coverage(axon, 0.3, 0), 6);
        Assert.Equal(0, MyelinMap.Coverage(axon, 0, 0.8), 6);
    }
}
