using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationOverlayTests
{
    private const double PixelSizeUm = 0.1;

    [Fact]
    public void With_the_true_transform_both_channels_show_the_same_structure_at_the_fixed_pixel_size()
    {
        var (moving, fixedImage, truth) = Scene();

        var overlay = RegistrationOverlay.Create(moving, fixedImage, new RegistrationTransform(truth, moving.PixelSizeUm, PixelSizeUm));

        Assert.Equal(2, overlay.Channels);
        Assert.Equal(["fixed", "moving"], overlay.ChannelNames);
        Assert.Equal(PixelSizeUm, overlay.VoxelSize!.Value.X);
        Assert.True(FootprintCorrelation(overlay) > 0.95);
    }

    [Fact]
    public void A_transform_off_by_a_nucleus_width_shows_up_as_channels_that_no_longer_agree()
    {
        var (moving, fixedImage, truth) = Scene();
        var shifted = AffineTransform2D.Translation(12, -9).After(truth);

        var overlay = RegistrationOverlay.Create(moving, fixedImage, new RegistrationTransform(shifted, moving.PixelSizeUm, PixelSizeUm));

        Assert.True(FootprintCorrelation(overlay) < 0.5, $"r = {FootprintCorrelation(overlay)}");
    }

    // Moving pixels half the fixed ones, so the overlay must resample the moving image to the fixed grid.
    private static (CalibratedImage Moving, CalibratedImage Fixed, AffineTransform2D Truth) Scene()
    {
        var fixedImage = new CalibratedImage(ProceduralScene.Generate(ProceduralSceneKind.Nuclei, 400, 400, seed: 41), PixelSizeUm);
        var truth = AffineTransform2D.SimilarityAbout(0.5, 3, (199.5, 199.5), (210.3, 190.8));
        var cut = SimulatedRegistrationPair.Sample(fixedImage.Image, truth, 400, 400);
        return (new CalibratedImage(cut, PixelSizeUm / 2), fixedImage, truth);
    }

    private static double FootprintCorrelation(Hyperstack overlay)
    {
        var fixedChannel = overlay[0, 0].Voxels;
        var movingChannel = overlay[0, 1].Voxels;
        var inside = Enumerable.Range(0, movingChannel.Length).Where(i => movingChannel[i] != 0).ToArray();
        var r = PearsonCorrelation.Between(inside.Select(i => fixedChannel[i]).ToArray(), inside.Select(i => movingChannel[i]).ToArray());
        return r.R!.Value;
    }
}
