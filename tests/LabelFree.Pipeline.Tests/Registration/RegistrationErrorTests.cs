using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationErrorTests
{
    private const int Width = 120;
    private const int Height = 80;

    [Fact]
    public void Identical_transforms_have_zero_error()
    {
        var transform = AffineTransform2D.Similarity(1.07, -3.2, 412.5, 87.25);

        Assert.Equal(0, RegistrationError.MeanDisplacement(transform, transform, Width, Height));
    }

    [Fact]
    public void A_translation_difference_of_3_and_4_pixels_is_an_error_of_5()
    {
        var reference = AffineTransform2D.Similarity(0.93, 4.1, 300, 200);
        var shifted = AffineTransform2D.Translation(3, 4).After(reference);

        Assert.Equal(5.0, RegistrationError.MeanDisplacement(shifted, reference, Width, Height), 10);
    }

    [Fact]
    public void A_rotation_about_the_centre_moves_each_pixel_by_its_radius_times_two_sine_half_angle()
    {
        const double degrees = 2.5;
        var centre = ((Width - 1) / 2.0, (Height - 1) / 2.0);
        var turned = AffineTransform2D.SimilarityAbout(1, degrees, centre, centre);
        // A chord of a circle of radius r under angle θ is 2 r sin(θ/2); the mean over pixels is the mean radius times that.
        var meanRadius = MeanDistanceFromCentre();
        var expected = meanRadius * 2 * Math.Sin(degrees * Math.PI / 180 / 2);

        var error = RegistrationError.MeanDisplacement(turned, AffineTransform2D.Identity, Width, Height);

        Assert.Equal(expected, error, 9);
    }

    [Fact]
    public void A_scale_difference_about_the_centre_moves_each_pixel_by_its_radius_times_the_scale_change()
    {
        var centre = ((Width - 1) / 2.0, (Height - 1) / 2.0);
        var larger = AffineTransform2D.SimilarityAbout(1.1, 0, centre, centre);

        var error = RegistrationError.MeanDisplacement(AffineTransform2D.Identity, larger, Width, Height);

        Assert.Equal(0.1 * MeanDistanceFromCentre(), error, 9);
    }

    [Fact]
    public void The_error_is_the_same_both_ways_round()
    {
        var a = AffineTransform2D.Similarity(1.02, 1.5, 10, -4);
        var b = AffineTransform2D.Similarity(0.97, -2.0, 12, 3);

        Assert.Equal(RegistrationError.MeanDisplacement(a, b, Width, Height), RegistrationError.MeanDisplacement(b, a, Width, Height), 12);
    }

    private static double MeanDistanceFromCentre()
    {
        double cx = (Width - 1) / 2.0, cy = (Height - 1) / 2.0, total = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                total += Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            }
        }

        return total / (Width * Height);
    }
}
