namespace LabelFree.Pipeline.Registration;

/// <summary>
/// How far apart two moving-to-fixed transforms put the moving image (METHOD §7, the paper's error): the distance
/// between where <c>a</c> and <c>b</c> map each pixel centre of the moving image, averaged over every pixel, in
/// fixed-image pixels. The benchmark, the CLI's <c>--reference</c> check and users share this one definition.
/// </summary>
public static class RegistrationError
{
    /// <param name="movingWidth">Width of the moving image in its own pixels (the grid the transforms take as input).</param>
    /// <param name="movingHeight">Height of the moving image in its own pixels.</param>
    public static double MeanDisplacement(AffineTransform2D a, AffineTransform2D b, int movingWidth, int movingHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(movingWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(movingHeight);
        if (!a.IsFinite || !b.IsFinite)
        {
            throw new ArgumentException($"Both transforms must be finite, got {a} and {b}.");
        }

        // The difference of two affine maps is affine, so each row's displacement is linear in x: exact sums, no sampling.
        var d00 = a.M00 - b.M00;
        var d01 = a.M01 - b.M01;
        var d02 = a.M02 - b.M02;
        var d10 = a.M10 - b.M10;
        var d11 = a.M11 - b.M11;
        var d12 = a.M12 - b.M12;
        double total = 0;
        for (var y = 0; y < movingHeight; y++)
        {
            var rowX = d01 * y + d02;
            var rowY = d11 * y + d12;
            double rowTotal = 0;
            for (var x = 0; x < movingWidth; x++)
            {
                var dx = d00 * x + rowX;
                var dy = d10 * x + rowY;
                rowTotal += Math.Sqrt(dx * dx + dy * dy);
            }

            total += rowTotal;
        }

        return total / ((double)movingWidth * movingHeight);
    }

    /// <summary>The same error for two registration transforms, over the moving image's pixel grid.</summary>
    public static double MeanDisplacement(RegistrationTransform a, RegistrationTransform b, int movingWidth, int movingHeight)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return MeanDisplacement(a.MovingToFixed, b.MovingToFixed, movingWidth, movingHeight);
    }
}
