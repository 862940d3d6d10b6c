namespace LabelFree.Messages;

/// <summary>
/// A 2x3 affine matrix in row-major order, mapping a point (x, y) of the prediction to
/// (M00*x + M01*y + M02, M10*x + M11*y + M12) in the reference image; the form OpenCV's warpAffine takes.
/// </summary>
public sealed record AffineTransform2D
{
    /// <summary>Row 0, column 0.</summary>
    public required double M00 { get; init; }

    /// <summary>Row 0, column 1.</summary>
    public required double M01 { get; init; }

    /// <summary>Row 0, column 2 (x translation, in reference pixels).</summary>
    public required double M02 { get; init; }

    /// <summary>Row 1, column 0.</summary>
    public required double M10 { get; init; }

    /// <summary>Row 1, column 1.</summary>
    public required double M11 { get; init; }

    /// <summary>Row 1, column 2 (y translation, in reference pixels).</summary>
    public required double M12 { get; init; }
}
