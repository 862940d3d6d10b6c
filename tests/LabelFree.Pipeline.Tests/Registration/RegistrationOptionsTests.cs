using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationOptionsTests
{
    [Fact]
    public void By_default_the_scale_range_covers_half_to_twice_the_stated_pixel_size()
    {
        Assert.Equal(0.5, RegistrationOptions.Default.MinimumScale);
        Assert.Equal(2.0, RegistrationOptions.Default.MaximumScale);
    }

    [Fact]
    public void Two_candidate_pixel_sizes_give_the_range_between_them_with_a_tenth_of_margin()
    {
        // Stated 10 nm, truly somewhere between 8 and 12 nm: 0.8x to 1.2x, widened by 10 % either side.
        var options = RegistrationOptions.Default.ScaleRangeBetween(0.008, 0.012, 0.01);

        Assert.Equal(0.8 / 1.1, options.MinimumScale, 12);
        Assert.Equal(1.2 * 1.1, options.MaximumScale, 12);
        options.Validate();
    }

    [Fact]
    public void A_reversed_scale_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => (RegistrationOptions.Default with { MinimumScale = 1.5, MaximumScale = 1.2 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => RegistrationOptions.Default.ScaleRangeBetween(0.012, 0.008, 0.01));
    }
}
