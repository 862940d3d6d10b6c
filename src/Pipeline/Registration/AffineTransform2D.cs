namespace LabelFree.Pipeline.Registration;

/// <summary>
/// A 2D affine map (x, y) -> (M00 x + M01 y + M02, M10 x + M11 y + M12), the 2x3 matrix OpenCV uses.
/// Registration transforms are similarities (uniform scale, rotation, translation); the general form is kept because
/// resampling to a common pixel size can round the two axes differently by a fraction of a pixel.
/// </summary>
public readonly record struct AffineTransform2D(double M00, double M01, double M02, double M10, double M11, double M12)
{
    public static AffineTransform2D Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>
    /// x' = s (cos θ x - sin θ y) + tx, y' = s (sin θ x + cos θ y) + ty. With image axes (x right, y down), a positive
    /// θ turns +x towards +y: clockwise as seen on screen.
    /// </summary>
    public static AffineTransform2D Similarity(double scale, double rotationDegrees, double translationX, double translationY)
    {
        var radians = rotationDegrees * Math.PI / 180.0;
        var a = scale * Math.Cos(radians);
        var b = scale * Math.Sin(radians);
        return new AffineTransform2D(a, -b, translationX, b, a, translationY);
    }

    /// <summary>A similarity that turns and scales about <paramref name="centre"/> and then moves that point to <paramref name="centreTarget"/>.</summary>
    public static AffineTransform2D SimilarityAbout(double scale, double rotationDegrees,
        (double X, double Y) centre, (double X, double Y) centreTarget)
    {
        var linear = Similarity(scale, rotationDegrees, 0, 0);
        var (x, y) = linear.Apply(centre.X, centre.Y);
        return linear with { M02 = centreTarget.X - x, M12 = centreTarget.Y - y };
    }

    /// <summary>From a 2 x 3 array [[M00, M01, M02], [M10, M11, M12]] (e.g. the simulator's SimilarityTransform.ToMatrix()).</summary>
    public static AffineTransform2D FromMatrix(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) != 2 || matrix.GetLength(1) != 3)
        {
            throw new ArgumentException($"Expected a 2 x 3 matrix, got {matrix.GetLength(0)} x {matrix.GetLength(1)}.", nameof(matrix));
        }

        return new AffineTransform2D(matrix[0, 0], matrix[0, 1], matrix[0, 2], matrix[1, 0], matrix[1, 1], matrix[1, 2]);
    }

    public static AffineTransform2D Translation(double x, double y) => new(1, 0, x, 0, 1, y);

    public static AffineTransform2D Scaling(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    public double Determinant => M00 * M11 - M01 * M10;

    /// <summary>The geometric mean of the two axis scales (exact for a similarity).</summary>
    public double Scale => Math.Sqrt(Math.Abs(Determinant));

    /// <summary>The rotation angle in degrees, positive from +x towards +y (see <see cref="Similarity"/>).</summary>
    public double RotationDegrees => Math.Atan2(M10 - M01, M00 + M11) * 180.0 / Math.PI;

    public bool IsFinite => double.IsFinite(M00) && double.IsFinite(M01) && double.IsFinite(M02)
        && double.IsFinite(M10) && double.IsFinite(M11) && double.IsFinite(M12);

    public (double X, double Y) Apply(double x, double y) => (M00 * x + M01 * y + M02, M10 * x + M11 * y + M12);

    /// <summary>The map that applies <paramref name="first"/> and then this one.</summary>
    public AffineTransform2D After(AffineTransform2D first) => new(
        M00 * first.M00 + M01 * first.M10,
        M00 * first.M01 + M01 * first.M11,
        M00 * first.M02 + M01 * first.M12 + M02,
        M10 * first.M00 + M11 * first.M10,
        M10 * first.M01 + M11 * first.M11,
        M10 * first.M02 + M11 * first.M12 + M12);

    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public AffineTransform2D Inverse()
    {
        var determinant = Determinant;
        if (Math.Abs(determinant) < 1e-12 || !double.IsFinite(determinant))
        {
            throw new InvalidOperationException($"The transform {this} cannot be inverted (determinant {determinant}).");
        }

        var i00 = M11 / determinant;
        var i01 = -M01 / determinant;
        var i10 = -M10 / determinant;
        var i11 = M00 / determinant;
        return new AffineTransform2D(i00, i01, -(i00 * M02 + i01 * M12), i10, i11, -(i10 * M02 + i11 * M12));
    }

    public double[][] ToRows() => [[M00, M01, M02], [M10, M11, M12]];

    public override string ToString() =>
        FormattableString.Invariant($"[[{M00:G6}, {M01:G6}, {M02:G6}], [{M10:G6}, {M11:G6}, {M12:G6}]]");
}
