using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;
using static LabelFree.Pipeline.Tests.Simulation.VoxelStatistics;

namespace LabelFree.Pipeline.Tests.Simulation;

public class RegistrationSceneSimulatorTests
{
    private static readonly RegistrationScene Scene = new()
    {
        FixedSize = 256, FixedPixelSizeMicrometres = 0.1, MovingSize = 160, MovingPixelSizeMicrometres = 0.04, Seed = 8,
    };

    [Fact]
    public void The_moving_image_warped_by_the_true_transform_reproduces_the_fixed_image()
    {
        var scene = new RegistrationSceneSimulator(Scene).Simulate();

        var truth = Correlation(scene, scene.Truth);
        var offByThreePixels = Correlation(scene, scene.Truth with { TranslationX = scene.Truth.TranslationX + 3 });

        Assert.InRange(truth, 0.9, 1);
        Assert.InRange(offByThreePixels, -1, truth - 0.1);
    }

    [Fact]
    public void The_moving_image_lies_wholly_inside_the_fixed_image_at_the_nominal_scale()
    {
        var scene = new RegistrationSceneSimulator(Scene).Simulate();

        var last = Scene.MovingSize - 1;
        foreach (var (x, y) in new[] { (0, 0), (last, 0), (0, last), (last, last) })
        {
            var (fixedX, fixedY) = scene.Truth.Apply(x, y);
            Assert.InRange(fixedX, 0, Scene.FixedSize - 1);
            Assert.InRange(fixedY, 0, Scene.FixedSize - 1);
        }

        Assert.InRange(scene.Truth.Scale, 0.4 * 0.97, 0.4 * 1.03);
        Assert.InRange(Math.Abs(scene.Truth.RotationDegrees), 0, Scene.MaximumRotationDegrees);
        Assert.Equal(new VolumeShape(1, 256, 256), scene.FixedImmunofluorescence.Shape);
        Assert.Equal(new VolumeShape(1, 160, 160), scene.MovingImmunofluorescence.Shape);
        Assert.Equal(new VolumeShape(1, 160, 160), scene.ElectronMicrograph.Shape);
    }

    [Fact]
    public void The_micrograph_is_dark_where_the_moving_image_is_bright()
    {
        var scene = new RegistrationSceneSimulator(Scene).Simulate();

        Assert.InRange(Pearson(scene.ElectronMicrograph.Voxels, scene.MovingImmunofluorescence.Voxels), -1, -0.3);
    }

    [Fact]
    public void A_given_transform_is_used_as_is_and_one_reaching_outside_is_refused()
    {
        var given = new SimilarityTransform(0.4, 30, 120, 40);
        var scene = new RegistrationSceneSimulator(Scene with { Transform = given }).Simulate();
        Assert.Equal(given, scene.Truth);
        Assert.InRange(Correlation(scene, given), 0.9, 1);

        var outside = Scene with { Transform = given with { TranslationX = 230 } };
        Assert.Throws<ArgumentException>(() => new RegistrationSceneSimulator(outside).Simulate());
    }

    [Fact]
    public void The_same_seed_gives_the_same_scene_and_another_seed_another_transform()
    {
        var small = Scene with { FixedSize = 160, MovingSize = 100 };
        var first = new RegistrationSceneSimulator(small).Simulate();
        var again = new RegistrationSceneSimulator(small).Simulate();
        var other = new RegistrationSceneSimulator(small with { Seed = 9 }).Simulate();

        Assert.Equal(first.Truth, again.Truth);
        Assert.Equal(first.FixedImmunofluorescence.Voxels, again.FixedImmunofluorescence.Voxels);
        Assert.Equal(first.MovingImmunofluorescence.Voxels, again.MovingImmunofluorescence.Voxels);
        Assert.Equal(first.ElectronMicrograph.Voxels, again.ElectronMicrograph.Voxels);
        Assert.NotEqual(first.Truth, other.Truth);
    }

    /// <summary>
    /// Pearson r between the fixed image and the moving image pulled onto the fixed grid through
    /// <paramref name="transform"/> (bilinear), over the fixed pixels the moving image covers.
    /// </summary>
    private static double Correlation(SimulatedRegistrationScene scene, SimilarityTransform transform)
    {
        var matrix = transform.ToMatrix();
        var (a, b, c, d) = (matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1]);
        var determinant = a * d - b * c;
        var moving = scene.MovingImmunofluorescence;
        var fixedImage = scene.FixedImmunofluorescence;
        var warped = new List<float>();
        var reference = new List<float>();
        for (var y = 0; y < fixedImage.Height; y++)
        {
            for (var x = 0; x < fixedImage.Width; x++)
            {
                var (dx, dy) = (x - matrix[0, 2], y - matrix[1, 2]);
                var u = (d * dx - b * dy) / determinant;
                var v = (-c * dx + a * dy) / determinant;
                if (u < 0 || v < 0 || u >= moving.Width - 1 || v >= moving.Height - 1)
                {
                    continue;
                }

                var (u0, v0) = ((int)u, (int)v);
                var (fu, fv) = (u - u0, v - v0);
                var value = moving[0, v0, u0] * (1 - fu) * (1 - fv) + moving[0, v0, u0 + 1] * fu * (1 - fv)
                    + moving[0, v0 + 1, u0] * (1 - fu) * fv + moving[0, v0 + 1, u0 + 1] * fu * fv;
                warped.Add((float)value);
                reference.Add(fixedImage[0, y, x]);
            }
        }

        Assert.True(warped.Count > 1000, $"Only {warped.Count} fixed pixels lie under the moving image.");
        return Pearson(warped.ToArray(), reference.ToArray());
    }
}
