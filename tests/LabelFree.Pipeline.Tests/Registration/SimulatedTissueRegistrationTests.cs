using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Registration;

/// <summary>
/// The simulator's EM/IF scenes: a prediction-like image rendered from the same nerve tissue as the fixed MBP image
/// (not cut from it), at a finer pixel size. A small version of the paper's geometry keeps the tests fast.
/// </summary>
public class SimulatedTissueRegistrationTests
{
    [Fact]
    public void A_prediction_of_the_same_tissue_is_registered_within_half_a_pixel()
    {
        var scene = Simulate(seed: 11);
        var truth = AffineTransform2D.FromMatrix(scene.Truth.ToMatrix());

        var result = EmToIfRegistration.Register(Moving(scene), Fixed(scene));

        Assert.True(result.Outcome == RegistrationOutcome.Registered, $"{result.Outcome}: {result.Reason}");
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, result.MovingWidth, result.MovingHeight);
        Assert.True(error < 0.5, $"mean error {error:0.###} px");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_footprint_too_small_for_keypoints_is_registered_by_correlation(long seed)
    {
        // The worker's test scene: a 160 px prediction at 50 nm is an 80 px footprint in a 256 px IF image at 100 nm.
        var scene = new RegistrationSceneSimulator(new RegistrationScene
        {
            FixedSize = 256,
            MovingSize = 160,
            MovingPixelSizeMicrometres = 0.05,
            MaximumRotationDegrees = 5,
            Seed = seed,
        }).Simulate();
        var truth = AffineTransform2D.FromMatrix(scene.Truth.ToMatrix());

        var result = EmToIfRegistration.Register(Moving(scene), Fixed(scene));

        Assert.True(result.Outcome == RegistrationOutcome.Registered, $"{result.Outcome}: {result.Reason} {result.Evidence}");
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, result.MovingWidth, result.MovingHeight);
        Assert.True(error < 1, $"mean error {error:0.###} px");
    }

    [Fact]
    public void A_small_prediction_of_other_tissue_is_not_claimed_as_registered_by_correlation()
    {
        // Smooth tissue correlates well almost anywhere (0.84 at the best place, 0.83 at the next): no unique place.
        var small = new RegistrationScene { FixedSize = 256, MovingSize = 160, MovingPixelSizeMicrometres = 0.05, MaximumRotationDegrees = 5 };
        var predicted = new RegistrationSceneSimulator(small with { Seed = 21 }).Simulate();
        var target = new RegistrationSceneSimulator(small with { Seed = 22 }).Simulate();

        var result = EmToIfRegistration.Register(Moving(predicted), Fixed(target));

        Assert.True(result.Outcome == RegistrationOutcome.NotConverged, $"{result.Outcome}: {result.Evidence}");
        Assert.True(result.Confidence < 0.5, $"confidence {result.Confidence}: {result.Evidence}");
    }

    [Fact]
    public void A_prediction_of_other_tissue_is_not_claimed_as_registered()
    {
        // Myelinated tissue looks alike everywhere: a wrong prediction matches several places about equally badly.
        var predicted = Simulate(seed: 12);
        var target = Simulate(seed: 13);

        var result = EmToIfRegistration.Register(Moving(predicted), Fixed(target));

        Assert.Equal(RegistrationOutcome.NotConverged, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        Assert.True(result.Confidence < 0.5, $"confidence {result.Confidence}: {result.Evidence}");
    }

    private static SimulatedRegistrationScene Simulate(long seed) => new RegistrationSceneSimulator(new RegistrationScene
    {
        FixedSize = 512,
        MovingSize = 600,
        MovingPixelSizeMicrometres = 0.02,
        MaximumRotationDegrees = 5,
        MaximumScaleDeviation = 0.1,
        Seed = seed,
    }).Simulate();

    private static CalibratedImage Moving(SimulatedRegistrationScene scene) =>
        new(scene.MovingImmunofluorescence, scene.MovingPixelSizeMicrometres);

    private static CalibratedImage Fixed(SimulatedRegistrationScene scene) =>
        new(scene.FixedImmunofluorescence, scene.FixedPixelSizeMicrometres);
}
