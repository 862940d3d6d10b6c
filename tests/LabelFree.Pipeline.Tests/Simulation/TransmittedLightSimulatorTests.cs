using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;
using static LabelFree.Pipeline.Tests.Simulation.VoxelStatistics;

namespace LabelFree.Pipeline.Tests.Simulation;

public class TransmittedLightSimulatorTests(SimulatedFieldFixture fixture) : IClassFixture<SimulatedFieldFixture>
{
    private readonly SimulatedFieldOfView _field = fixture.Field;

    [Fact]
    public void The_same_seed_gives_identical_voxels_and_another_seed_does_not()
    {
        var scene = new TransmittedLightScene { Shape = new VolumeShape(16, 40, 40), Seed = 5 };
        var first = new TransmittedLightSimulator(scene).Simulate();
        var again = new TransmittedLightSimulator(scene).Simulate();
        var other = new TransmittedLightSimulator(scene with { Seed = 6 }).Simulate();

        Assert.Equal(first.TransmittedLight[0, 0].Voxels, again.TransmittedLight[0, 0].Voxels);
        Assert.Equal(first.Fluorescence[CellStructure.Dna][0, 0].Voxels, again.Fluorescence[CellStructure.Dna][0, 0].Voxels);
        Assert.Equal(first.Controls[CellStructure.Membrane][0, 0].Voxels, again.Controls[CellStructure.Membrane][0, 0].Voxels);
        Assert.NotEqual(first.TransmittedLight[0, 0].Voxels, other.TransmittedLight[0, 0].Voxels);
        Assert.NotEqual(first.NoiseFreeTruth[CellStructure.Dna][0, 0].Voxels, other.NoiseFreeTruth[CellStructure.Dna][0, 0].Voxels);
    }

    [Fact]
    public void Every_stack_has_the_requested_shape_voxel_size_frames_and_channel_names()
    {
        var voxelSize = new VoxelSize(0.29, 0.108, 0.108);
        var scene = new TransmittedLightScene
        {
            Shape = new VolumeShape(12, 40, 48), VoxelSize = voxelSize, Frames = 2, FrameIntervalSeconds = 60,
            Structures = [CellStructure.Nucleoli, CellStructure.Dna],
        };

        var field = new TransmittedLightSimulator(scene).Simulate();

        var expected = new HyperstackShape(2, 1, 12, 40, 48);
        var stacks = new[] { field.TransmittedLight, field.TransmittedLightNoiseFree, field.RefractiveIndex }
            .Concat(field.Fluorescence.Values).Concat(field.Controls.Values).Concat(field.NoiseFreeTruth.Values);
        foreach (var stack in stacks)
        {
            Assert.Equal(expected, stack.Shape);
            Assert.Equal(voxelSize, stack.VoxelSize);
            Assert.Equal(60, stack.FrameIntervalSeconds);
        }

        Assert.Equal(voxelSize, field.VoxelSize);
        Assert.Equal([CellStructure.Nucleoli, CellStructure.Dna], field.Structures);
        Assert.Equal([TransmittedLightSimulator.TransmittedLightChannel], field.TransmittedLight.ChannelNames);
        Assert.Equal(["dna"], field.Fluorescence[CellStructure.Dna].ChannelNames);
        Assert.Equal(["dna-control"], field.Controls[CellStructure.Dna].ChannelNames);
        Assert.Equal(2, field.Cells.Count);
        Assert.All(field.RefractiveIndex[0, 0].Voxels, n => Assert.InRange(n, 1.336f, 1.45f));
    }

    [Fact]
    public void Bright_field_is_not_a_blurred_copy_of_the_target_while_the_target_follows_its_truth()
    {
        var dna = _field.Fluorescence[CellStructure.Dna][0, 0].Voxels;
        var truth = _field.NoiseFreeTruth[CellStructure.Dna][0, 0].Voxels;

        Assert.InRange(Math.Abs(Pearson(_field.TransmittedLight[0, 0].Voxels, dna)), 0, 0.6);
        Assert.InRange(Math.Abs(Pearson(_field.TransmittedLightNoiseFree[0, 0].Voxels, truth)), 0, 0.6);
        Assert.InRange(Pearson(truth, dna), 0.8, 1);
    }

    [Fact]
    public void Bright_field_contrast_of_a_nucleus_flips_sign_between_planes_above_and_below_it()
    {
        var voxel = _field.VoxelSize;
        var stack = _field.TransmittedLightNoiseFree[0, 0];
        var (width, height, depth) = (stack.Width * voxel.X, stack.Height * voxel.Y, stack.Depth * voxel.Z);
        var nuclei = _field.Cells[0].Select(c => c.Nucleus)
            .Where(n => n.Center.X - n.SemiAxisA * 1.3 > 0 && n.Center.X + n.SemiAxisA * 1.3 < width
                && n.Center.Y - n.SemiAxisA * 1.3 > 0 && n.Center.Y + n.SemiAxisA * 1.3 < height
                && n.Center.Z - n.SemiAxisC - 1.2 >= 0 && n.Center.Z + n.SemiAxisC + 1.2 < depth)
            .ToArray();
        Assert.NotEmpty(nuclei);

        var meanIntensity = Mean(stack.Voxels);
        foreach (var nucleus in nuclei)
        {
            var above = Contrast(stack, voxel, nucleus, nucleus.Center.Z + nucleus.SemiAxisC + 1.2);
            var below = Contrast(stack, voxel, nucleus, nucleus.Center.Z - nucleus.SemiAxisC - 1.2);

            Assert.True(above * below < 0, $"Nucleus at {nucleus.Center}: contrast {above:0.0} above and {below:0.0} below focus have one sign.");
            Assert.True(Math.Min(Math.Abs(above), Math.Abs(below)) > 0.005 * meanIntensity,
                $"Nucleus at {nucleus.Center}: contrast {above:0.0} / {below:0.0} is under 0.5% of the mean {meanIntensity:0}.");
        }
    }

    [Fact]
    public void Controls_carry_the_targets_noise_but_none_of_their_structure()
    {
        foreach (var structure in CellStructure.All)
        {
            var target = _field.Fluorescence[structure][0, 0].Voxels;
            var truth = _field.NoiseFreeTruth[structure][0, 0].Voxels;
            var control = _field.Controls[structure][0, 0].Voxels;

            var noiseVariance = VarianceOfDifference(target, truth);
            Assert.InRange(Variance(control) / noiseVariance, 0.9, 1.1);
            Assert.InRange(Math.Abs(Pearson(control, truth)), 0, 0.1);
        }
    }

    [Fact]
    public void Cmax_estimated_from_the_controls_matches_the_ceiling_the_truth_implies()
    {
        foreach (var structure in CellStructure.All)
        {
            var target = _field.Fluorescence[structure][0, 0].Voxels;
            var truth = _field.NoiseFreeTruth[structure][0, 0].Voxels;
            var noiseFromControl = Variance(_field.Controls[structure][0, 0].Voxels);

            var fromControls = CorrelationCeiling(Variance(target) - noiseFromControl, noiseFromControl);
            var fromTruth = CorrelationCeiling(Variance(truth), VarianceOfDifference(target, truth));

            Assert.InRange(fromControls, 0.5, 0.999);
            Assert.InRange(fromControls - fromTruth, -0.03, 0.03);
            // C_max is what a perfect prediction (the truth itself) reaches against the noisy target.
            Assert.InRange(Pearson(truth, target) - fromTruth, -0.02, 0.02);
        }
    }

    [Fact]
    public void Time_series_frames_differ_but_stay_correlated_as_cells_drift()
    {
        var scene = new TransmittedLightScene { Shape = new VolumeShape(16, 48, 48), Frames = 3, Seed = 3 };

        var field = new TransmittedLightSimulator(scene).Simulate();

        var dna = field.NoiseFreeTruth[CellStructure.Dna];
        var brightField = field.TransmittedLightNoiseFree;
        for (var t = 1; t < 3; t++)
        {
            Assert.InRange(Pearson(dna[t - 1, 0].Voxels, dna[t, 0].Voxels), 0.4, 0.995);
            Assert.InRange(Pearson(brightField[t - 1, 0].Voxels, brightField[t, 0].Voxels), 0.4, 0.995);
        }

        var moved = field.Cells[1].Join(field.Cells[0], c => c.Id, c => c.Id, (later, first) =>
            Math.Sqrt(Math.Pow(later.CenterX - first.CenterX, 2) + Math.Pow(later.CenterY - first.CenterY, 2))).ToArray();
        Assert.NotEmpty(moved);
        Assert.All(moved, distance => Assert.InRange(distance, 0.01, 1.0));
    }

    [Fact]
    public void An_unknown_structure_is_refused_with_the_known_names()
    {
        var scene = new TransmittedLightScene { Structures = ["dna", "golgi"] };

        var error = Assert.Throws<ArgumentException>(() => new TransmittedLightSimulator(scene));

        Assert.Contains("golgi", error.Message, StringComparison.Ordinal);
        Assert.Contains("mitochondria", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Mean intensity over the nucleus' central disk minus the mean over a thin ring just outside it, at height z.</summary>
    private static double Contrast(Volume stack, VoxelSize voxel, Ellipsoid nucleus, double z)
    {
        var plane = (int)Math.Round(z / voxel.Z);
        var flat = nucleus with { Center = nucleus.Center with { Z = plane * voxel.Z } };
        double inner = 0, outer = 0;
        int innerCount = 0, outerCount = 0;
        for (var y = 0; y < stack.Height; y++)
        {
            for (var x = 0; x < stack.Width; x++)
            {
                var radiusSquared = flat.NormalizedRadiusSquared(x * voxel.X, y * voxel.Y, flat.Center.Z);
                if (radiusSquared < 0.36)
                {
                    inner += stack[plane, y, x];
                    innerCount++;
                }
                else if (radiusSquared is > 1.1 and < 1.6)
                {
                    outer += stack[plane, y, x];
                    outerCount++;
                }
            }
        }

        return inner / innerCount - outer / outerCount;
    }
}
