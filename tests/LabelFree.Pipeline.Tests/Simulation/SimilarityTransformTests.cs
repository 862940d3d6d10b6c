using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class SimilarityTransformTests
{
    private static readonly SimilarityTransform Transform = new(0.25, 12, 300.5, -41);

    [Fact]
    public void Apply_is_the_two_by_three_matrix_applied_to_x_y_one()
    {
        var m = Transform.ToMatrix();
        var (x, y) = Transform.Apply(17, -3);

        Assert.Equal(m[0, 0] * 17 + m[0, 1] * -3 + m[0, 2], x, 12);
        Assert.Equal(m[1, 0] * 17 + m[1, 1] * -3 + m[1, 2], y, 12);
    }

    [Fact]
    public void A_positive_angle_turns_plus_x_toward_plus_y()
    {
        var (x, y) = new SimilarityTransform(2, 90, 0, 0).Apply(1, 0);

        Assert.Equal(0, x, 12);
        Assert.Equal(2, y, 12);
    }

    [Fact]
    public void Inverse_undoes_the_transform()
    {
        var (x, y) = Transform.Apply(123.25, 4.5);
        var (u, v) = Transform.Inverse().Apply(x, y);

        Assert.Equal(123.25, u, 9);
        Assert.Equal(4.5, v, 9);
    }

    [Fact]
    public void FromMatrix_recovers_scale_angle_and_translation()
    {
        var recovered = SimilarityTransform.FromMatrix(Transform.ToMatrix());

        Assert.Equal(Transform.Scale, recovered.Scale, 12);
        Assert.Equal(Transform.RotationDegrees, recovered.RotationDegrees, 9);
        Assert.Equal(Transform.TranslationX, recovered.TranslationX, 12);
        Assert.Equal(Transform.TranslationY, recovered.TranslationY, 12);
        Assert.Throws<ArgumentException>(() => SimilarityTransform.FromMatrix(new double[3, 3]));
    }
}
