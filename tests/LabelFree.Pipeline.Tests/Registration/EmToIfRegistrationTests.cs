using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Registration;

/// <summary>
/// Moving images cut from procedural scenes through known similarities, then degraded (blur, gamma, gain, offset,
/// noise): registration must find the transform within half a fixed pixel of mean error (METHOD §7's metric).
/// </summary>
public class EmToIfRegistrationTests
{
    private const double PixelSizeUm = 0.1;
    private const double MaximumErrorPixels = 0.5;
    private static readonly ImageDegradation Degradation = new(BlurSigma: 1.0, Gamma: 1.3, Gain: 0.7, Offset: 0.1, NoiseLevel: 0.04);

    [Theory]
    [InlineData(ProceduralSceneKind.Fibers, 1.0, 0.0, 350.0, 350.0)]
    [InlineData(ProceduralSceneKind.Fibers, 1.1, 5.0, 340.3, 352.8)]
    [InlineData(ProceduralSceneKind.Fibers, 0.9, -5.0, 230.6, 420.1)]
    [InlineData(ProceduralSceneKind.Nuclei, 1.1, -4.2, 360.2, 330.7)]
    [InlineData(ProceduralSceneKind.Nuclei, 0.9, 3.7, 420.5, 260.25)]
    [InlineData(ProceduralSceneKind.Nuclei, 0.96, 1.3, 300.75, 390.5)]
    public void A_moving_image_cut_with_a_known_similarity_is_registered_within_half_a_pixel(
        ProceduralSceneKind kind, double scale, double rotationDegrees, double centreX, double centreY)
    {
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(kind, 700, 700, seed: 17), PixelSizeUm);
        var truth = AffineTransform2D.SimilarityAbout(scale, rotationDegrees, (199.5, 199.5), (centreX, centreY));
        var moving = Cut(fixedImage, truth, 400, 400, PixelSizeUm, seed: 1);

        var result = EmToIfRegistration.Register(moving, fixedImage);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.True(result.Converged);
        Assert.Null(result.Reason);
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, 400, 400);
        Assert.True(error < MaximumErrorPixels, $"mean error {error:0.###} px");
        Assert.Equal(scale, result.Transform.Scale, 2);
        Assert.Equal(rotationDegrees, result.Transform.RotationDegrees, 1);
        Assert.True(result.Quality > 0.8, $"quality {result.Quality}");
    }

    [Theory]
    [InlineData(ProceduralSceneKind.Fibers, 1.0, 137.0)]
    [InlineData(ProceduralSceneKind.Nuclei, 1.2, -100.0)]
    [InlineData(ProceduralSceneKind.Fibers, 0.6, 180.0)]
    [InlineData(ProceduralSceneKind.Nuclei, 0.6, 64.0)]
    public void A_moving_image_at_any_angle_and_far_from_its_stated_size_is_registered_without_a_hint(
        ProceduralSceneKind kind, double scale, double rotationDegrees)
    {
        // Issue 15's degradations: blur sigma 2, a gamma of 0.6, gain 1.8 and noise of a fifth of the image's spread.
        var heavy = new ImageDegradation(BlurSigma: 2.0, Gamma: 0.6, Gain: 1.8, Offset: -0.1, NoiseLevel: 0, NoiseOfSpread: 0.2);
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(kind, 700, 700, seed: 41), PixelSizeUm);
        var truth = AffineTransform2D.SimilarityAbout(scale, rotationDegrees, (174.5, 174.5), (330.4, 371.8));
        var moving = new CalibratedImage(heavy.Apply(SimulatedRegistrationPair.Sample(fixedImage.Image, truth, 350, 350), new Random(5)), PixelSizeUm);

        var result = EmToIfRegistration.Register(moving, fixedImage);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, 350, 350);
        Assert.True(error < MaximumErrorPixels, $"mean error {error:0.###} px");
        Assert.Equal(scale, result.Transform.Scale, 2);
        Assert.InRange(result.Confidence, 0.5, 1.0);
        Assert.True(result.Evidence!.Inliers > 3 * result.Evidence.RunnerUpInliers, $"{result.Evidence}");
    }

    [Fact]
    public void The_transform_maps_moving_pixels_as_given_when_the_moving_image_has_finer_pixels()
    {
        // Moving pixels are half the fixed ones: 600 moving px cover 300 fixed px; the matrix must take moving pixel
        // coordinates (not the resampled grid's) to fixed pixels.
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 700, 700, seed: 23), PixelSizeUm);
        var truth = AffineTransform2D.SimilarityAbout(0.5 * 1.04, 2.4, (299.5, 299.5), (371.3, 322.9));
        var moving = Cut(fixedImage, truth, 600, 600, PixelSizeUm / 2, seed: 2);

        var result = EmToIfRegistration.Register(moving, fixedImage);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var error = RegistrationError.MeanDisplacement(result.Transform!.MovingToFixed, truth, 600, 600);
        Assert.True(error < MaximumErrorPixels, $"mean error {error:0.###} px");
        Assert.Equal(1.04, result.Transform.RelativeScale!.Value, 2);
    }

    [Fact]
    public void The_translation_is_where_the_moving_images_first_pixel_lands()
    {
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Nuclei, 700, 700, seed: 29), PixelSizeUm);
        var truth = AffineTransform2D.Translation(123.25, 207.5);
        var moving = Cut(fixedImage, truth, 400, 400, PixelSizeUm, seed: 3);

        var result = EmToIfRegistration.Register(moving, fixedImage);

        // The convention, not the precision, is under test: the first pixel lands within a third of a pixel of (123.25, 207.5).
        Assert.InRange(result.Transform!.TranslationX, 123.25 - 0.3, 123.25 + 0.3);
        Assert.InRange(result.Transform.TranslationY, 207.5 - 0.3, 207.5 + 0.3);
    }

    [Fact]
    public void A_moving_image_from_another_scene_is_not_claimed_as_registered()
    {
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 700, 700, seed: 31), PixelSizeUm);
        var elsewhere = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 700, 700, seed: 32), PixelSizeUm);
        var moving = Cut(elsewhere, AffineTransform2D.SimilarityAbout(1, 2, (199.5, 199.5), (350, 350)), 400, 400, PixelSizeUm, seed: 4);

        var result = EmToIfRegistration.Register(moving, fixedImage);

        Assert.NotEqual(RegistrationOutcome.Registered, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        Assert.True(result.Confidence < 0.5, $"confidence {result.Confidence}: {result.Evidence}");
    }

    [Fact]
    public void A_moving_image_larger_than_the_fixed_image_is_a_typed_input_error()
    {
        // 500 px stay larger than the 200 px fixed image even at the smallest scale searched (0.5).
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 1), PixelSizeUm);
        var moving = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 500, 500, seed: 2), PixelSizeUm);

        var error = Assert.Throws<RegistrationInputException>(() => EmToIfRegistration.Register(moving, fixedImage));

        Assert.Contains("larger than the fixed image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_pixel_size_that_would_blow_the_moving_image_up_is_refused_before_resampling()
    {
        // 1 µm EM pixels against a 10 pm reference pixel: resampled first, 200 x 200 px would become 2e7 x 2e7.
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 1), 1e-5);
        var moving = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 2), 1.0);

        // Registration is synchronous up to the refusal, so this thread's count is the refusal's (and the native
        // image OpenCV would allocate is never asked for: the check precedes every conversion).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<RegistrationInputException>(() => EmToIfRegistration.Register(moving, fixedImage));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("20000000 x 20000000 px at the fixed pixel size", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64_000_000, $"Refusing the pair allocated {allocated} bytes.");
    }

    [Fact]
    public void A_reference_pixel_size_that_shrinks_the_moving_image_to_one_pixel_is_a_typed_input_error()
    {
        // The other direction of a wrong pixel size: 200 px of 50 nm are one pixel of 1 mm, which fits nowhere usefully.
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 1), 1e3);
        var moving = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 2), 0.05);

        var error = Assert.Throws<RegistrationInputException>(() => EmToIfRegistration.Register(moving, fixedImage));

        Assert.Contains("1 x 1 px at the fixed pixel size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_with_NaN_is_rejected()
    {
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 200, 200, seed: 1), PixelSizeUm);
        var moving = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Fibers, 100, 100, seed: 2), PixelSizeUm);
        moving.Image.Voxels[17] = float.NaN;

        Assert.Throws<ArgumentException>(() => EmToIfRegistration.Register(moving, fixedImage));
    }

    [Fact]
    public void A_three_dimensional_volume_is_not_a_registration_image()
    {
        Assert.Throws<ArgumentException>(() => new CalibratedImage(new Volume(new VolumeShape(2, 10, 10)), PixelSizeUm));
    }

    private static CalibratedImage Cut(CalibratedImage fixedImage, AffineTransform2D truth, int width, int height,
        double movingPixelSizeUm, int seed)
    {
        var cut = SimulatedRegistrationPair.Sample(fixedImage.Image, truth, width, height);
        return new CalibratedImage(Degradation.Apply(cut, new Random(seed)), movingPixelSizeUm);
    }
}
