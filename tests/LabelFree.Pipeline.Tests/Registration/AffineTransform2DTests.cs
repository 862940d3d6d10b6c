using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class AffineTransform2DTests
{
    [Fact]
    public void A_similarity_reports_the_scale_and_rotation_it_was_built_with()
    {
        var transform = AffineTransform2D.Similarity(1.08, -4.5, 10, 20);

        Assert.Equal(1.08, transform.Scale, 12);
        Assert.Equal(-4.5, transform.RotationDegrees, 10);
        Assert.Equal((10.0, 20.0), transform.Apply(0, 0));
    }

    [Fact]
    public void A_positive_rotation_turns_the_x_axis_towards_y()
    {
        var quarterTurn = AffineTransform2D.Similarity(1, 90, 0, 0);

        var (x, y) = quarterTurn.Apply(1, 0);

        Assert.Equal(0, x, 12);
        Assert.Equal(1, y, 12);
    }

    [Fact]
    public void After_applies_the_argument_first()
    {
        var scale = AffineTransform2D.Scaling(2, 2);
        var shift = AffineTransform2D.Translation(5, 0);

        Assert.Equal((7.0, 0.0), shift.After(scale).Apply(1, 0));
        Assert.Equal((12.0, 0.0), scale.After(shift).Apply(1, 0));
    }

    [Fact]
    public void The_inverse_undoes_the_transform()
    {
        var transform = AffineTransform2D.Similarity(0.91, 3.3, -7.5, 12.25);

        var (x, y) = transform.Inverse().After(transform).Apply(123.4, -56.7);

        Assert.Equal(123.4, x, 9);
        Assert.Equal(-56.7, y, 9);
    }

    [Fact]
    public void SimilarityAbout_keeps_the_centre_on_its_target()
    {
        var transform = AffineTransform2D.SimilarityAbout(1.05, 2, (50, 40), (300, 200));

        var (x, y) = transform.Apply(50, 40);

        Assert.Equal(300, x, 10);
        Assert.Equal(200, y, 10);
    }

    [Fact]
    public void A_two_by_three_array_becomes_the_same_matrix()
    {
        var transform = AffineTransform2D.FromMatrix(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } });

        Assert.Equal(new AffineTransform2D(1, 2, 3, 4, 5, 6), transform);
        Assert.Throws<ArgumentException>(() => AffineTransform2D.FromMatrix(new double[3, 3]));
    }

    [Fact]
    public void A_singular_matrix_cannot_be_inverted()
    {
        Assert.Throws<InvalidOperationException>(() => new AffineTransform2D(1, 2, 0, 2, 4, 0).Inverse());
    }
}
