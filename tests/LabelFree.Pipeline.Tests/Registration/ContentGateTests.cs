using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Registration;

public class ContentGateTests
{
    [Fact]
    public void With_a_zero_background_the_fraction_is_the_share_of_pixels_above_half_the_maximum()
    {
        // 100 x 100: 300 pixels at 1.0, 200 at 0.4 (below half the maximum), the rest 0.
        var image = new Volume(new VolumeShape(1, 100, 100));
        for (var i = 0; i < 300; i++)
        {
            image.Voxels[i * 7] = 1.0f;
        }

        for (var i = 0; i < 200; i++)
        {
            image.Voxels[i * 7 + 3] = 0.4f;
        }

        Assert.Equal(0.03, ContentGate.ContentFraction(image), 12);
    }

    [Fact]
    public void A_z_scored_background_is_measured_from_the_median_not_from_zero()
    {
        // Background at -0.5 (a z-scored prediction), 5 % of pixels at 2.0: threshold -0.5 + 0.5 * 2.5 = 0.75.
        var image = new Volume(new VolumeShape(1, 100, 100), Enumerable.Repeat(-0.5f, 10_000).ToArray());
        for (var i = 0; i < 500; i++)
        {
            image.Voxels[i * 20] = 2.0f;
        }

        Assert.Equal(0.05, ContentGate.ContentFraction(image), 12);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.7f)]
    [InlineData(-1.3f)]
    public void A_constant_image_has_no_content(float level)
    {
        var image = new Volume(new VolumeShape(1, 64, 64), Enumerable.Repeat(level, 64 * 64).ToArray());

        Assert.Equal(0, ContentGate.ContentFraction(image));
    }

    [Fact]
    public void An_empty_prediction_is_a_normal_insufficient_content_result_with_a_reason()
    {
        var empty = new CalibratedImage(new Volume(new VolumeShape(1, 200, 200)), 0.1);
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 300, 300, seed: 3), 0.1);

        var result = EmToIfRegistration.Register(empty, fixedImage);

        Assert.Equal(RegistrationOutcome.InsufficientContent, result.Outcome);
        Assert.Null(result.Transform);
        Assert.False(result.Converged);
        Assert.Equal(0, result.ContentFraction);
        Assert.Contains("1%", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_near_empty_prediction_with_a_few_specks_is_insufficient_content()
    {
        // A flat 0.2 background with 0.5 % of the pixels bright: below the 1 % the paper requires.
        var values = Enumerable.Repeat(0.2f, 200 * 200).ToArray();
        for (var i = 0; i < 200; i++)
        {
            values[i * 199] = 5f;
        }

        var speckled = new CalibratedImage(new Volume(new VolumeShape(1, 200, 200), values), 0.1);
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 300, 300, seed: 3), 0.1);

        var result = EmToIfRegistration.Register(speckled, fixedImage);

        Assert.Equal(RegistrationOutcome.InsufficientContent, result.Outcome);
        Assert.Equal(0.005, result.ContentFraction, 12);
    }

    [Fact]
    public void Exactly_one_percent_is_not_enough_since_the_paper_asks_for_more()
    {
        var values = new float[200 * 200];
        for (var i = 0; i < 400; i++)
        {
            values[i * 100] = 1f;
        }

        var onePercent = new CalibratedImage(new Volume(new VolumeShape(1, 200, 200), values), 0.1);
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 300, 300, seed: 3), 0.1);

        var result = EmToIfRegistration.Register(onePercent, fixedImage);

        Assert.Equal(0.01, result.ContentFraction, 12);
        Assert.Equal(RegistrationOutcome.InsufficientContent, result.Outcome);
    }

    [Fact]
    public void A_procedural_fibre_scene_passes_the_gate()
    {
        var scene = ProceduralScene.Generate(ProceduralSceneKind.Fibers, 400, 400, seed: 5);

        Assert.True(ContentGate.ContentFraction(scene) > 0.01);
    }
}
