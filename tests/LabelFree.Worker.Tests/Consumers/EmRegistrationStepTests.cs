using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Simulation;
using LabelFree.Worker.Consumers;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>
/// The worker's registration step on a prediction as a good EM-to-IF model would give it (the simulator's IF-like
/// image of the EM region): it must find the simulator's known transform.
/// </summary>
public sealed class EmRegistrationStepTests
{
    [Fact]
    public void A_good_prediction_is_registered_within_one_fixed_pixel_of_the_true_transform_with_an_overlay()
    {
        var scene = new RegistrationSceneSimulator(new RegistrationScene
        {
            FixedSize = 256,
            MovingSize = 160,
            MovingPixelSizeMicrometres = 0.05,
            MaximumRotationDegrees = 5,
            Seed = 3,
        }).Simulate();
        var prediction = new CalibratedImage(scene.MovingImmunofluorescence, scene.MovingPixelSizeMicrometres);
        var reference = new CalibratedImage(scene.FixedImmunofluorescence, scene.FixedPixelSizeMicrometres);

        var step = EmRegistrationWork.Register(prediction, reference, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, step.Result.Outcome);
        var truth = AffineTransform2D.FromMatrix(scene.Truth.ToMatrix());
        var error = RegistrationError.MeanDisplacement(step.Result.Transform!.MovingToFixed, truth, prediction.Width, prediction.Height);
        Assert.True(error < 1, $"mean displacement error {error:0.###} fixed pixels");
        Assert.NotNull(step.Overlay);
        Assert.Equal(["fixed", "moving"], step.Overlay.ChannelNames);
    }
}
