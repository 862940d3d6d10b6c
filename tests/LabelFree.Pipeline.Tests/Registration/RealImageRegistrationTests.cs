using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Registration;

/// <summary>
/// Real fluorescence (../shared/data/real; skipped with a reason where it is absent): a turned, rescaled and degraded
/// crop is found again, and a crop of another real image is not claimed anywhere.
/// </summary>
public class RealImageRegistrationTests
{
    private const string Nuclei = "dsb2018_nuclei_2d/img2d.tif";
    private const string Dapi = "cohenlab_frm_2d_phase_dapi/dish1_xy1c2_dapi.tif";
    private static readonly ImageDegradation Heavy = new(BlurSigma: 2.5, Gamma: 1.8, Gain: 0.4, Offset: 0.1, NoiseLevel: 0, NoiseOfSpread: 0.25);

    [SkippableFact]
    public void A_crop_of_real_nuclei_turned_by_120_degrees_at_0_7_scale_is_registered()
    {
        var fixedImage = Load(Nuclei);
        var truth = AffineTransform2D.SimilarityAbout(0.7, 120, (149.5, 149.5), (260.3, 248.9));
        var moving = new CalibratedImage(Heavy.Apply(SimulatedRegistrationPair.Sample(fixedImage.Image, truth, 300, 300), new Random(3)), fixedImage.PixelSizeUm);

        var result = EmToIfRegistration.Register(moving, fixedImage, RegistrationOptions.Default with { ApplyContentGate = false });

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, 300, 300);
        Assert.True(error < 0.5, $"mean error {error:0.###} px");
    }

    [SkippableFact]
    public void A_crop_of_another_real_image_is_not_registered()
    {
        var elsewhere = Load(Dapi);
        var truth = AffineTransform2D.SimilarityAbout(1, 75, (124.5, 124.5), (256, 256));
        var moving = new CalibratedImage(Heavy.Apply(SimulatedRegistrationPair.Sample(elsewhere.Image, truth, 250, 250), new Random(4)), 1);
        var fixedImage = Load(Nuclei);

        var result = EmToIfRegistration.Register(new CalibratedImage(moving.Image, fixedImage.PixelSizeUm), fixedImage,
            RegistrationOptions.Default with { ApplyContentGate = false });

        Assert.Equal(RegistrationOutcome.NotConverged, result.Outcome);
        Assert.True(result.Confidence < 0.5, $"confidence {result.Confidence}: {result.Evidence}");
    }

    private static CalibratedImage Load(string relativePath)
    {
        var stack = HyperstackFile.Read(RealData.File(relativePath));
        return new CalibratedImage(stack[0, 0], stack.VoxelSize?.X ?? 0.1);
    }
}
