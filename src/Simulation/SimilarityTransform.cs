namespace LabelFree.Simulation;

/// <summary>
/// A 2D similarity transform between image pixel coordinates (x = column, y = row, pixel centres at integers):
///   [x'; y'] = Scale * R(θ) * [x; y] + [TranslationX; TranslationY],  R(θ) = [[cos θ, -sin θ], [sin θ, cos θ]].
/// With y pointing down the screen, a positive angle turns +x toward +y (clockwise as displayed; OpenCV's
/// getRotationMatrix2D calls the opposite sense positive). Used as the moving → fixed map of a registration.
/// </summary>
public sealed record SimilarityTransform(double Scale, double RotationDegrees, double TranslationX, double TranslationY)
{
    public static SimilarityTransform Identity { get; } = new(1, 0, 0, 0);

    private double Radians => RotationDegrees * Math.PI / 180;

    /// <summary>The 2 x 3 matrix [[a, b, tx], [c, d, ty]] applied to (x, y, 1); a fresh array each call.</summary>
    public double[,] ToMatrix()
    {
        var (cos, sin) = (Scale * Math.Cos(Radians), Scale * Math.Sin(Radians));
        return new[,] { { cos, -sin, TranslationX }, { sin, cos, TranslationY } };
    }

    /// <summary>
    /// The similarity closest to a 2 x 3 matrix (scale and angle from its first column, translation from the
    /// third); exact for any matrix that <see cref="ToMatrix"/> produced.
    /// </summary>
    public static SimilarityTransform FromMatrix(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) != 2 || matrix.GetLength(1) != 3)
        {
            throw new ArgumentException($"Expected a 2x3 matrix, got {matrix.GetLength(0)}x{matrix.GetLength(1)}.", nameof(matrix));
        }

        var (a, c) = ((matrix[0, 0] + matrix[1, 1]) / 2, (matrix[1, 0] - matrix[0, 1]) / 2);
        return new SimilarityTransform(Math.Sqrt(a * a + c * c), Math.Atan2(c, a) * 180 / Math.PI, matrix[0, 2], matrix[1, 2]);
    }

    public (double X, double Y) Apply(double x, double y)
    {
        var (cos, sin) = (Scale * Math.Cos(Radians), Scale * Math.Sin(Radians));
        return (cos * x - sin * y + TranslationX, sin * x + cos * y + TranslationY);
    }

    /// <summary>The map back: Inverse().Apply(Apply(x, y)) = (x, y).</summary>
    public SimilarityTransform Inverse()
    {
        var inverse = new SimilarityTransform(1 / Scale, -RotationDegrees, 0, 0);
        var (x, y) = inverse.Apply(-TranslationX, -TranslationY);
        return inverse with { TranslationX = x, TranslationY = y };
    }
}
