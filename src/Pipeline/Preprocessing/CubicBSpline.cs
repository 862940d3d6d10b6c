namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Cubic B-spline interpolation of one line of samples, written to reproduce
/// <c>scipy.ndimage.zoom(order=3, mode='nearest')</c>, which the reference uses to make voxels isotropic.
/// </summary>
/// <remarks>
/// scipy does three things we copy: (1) it extends the line by <see cref="EdgePadding"/> copies of each edge
/// sample (its <c>mode='nearest'</c> pre-padding), (2) it turns the samples into spline coefficients with the
/// exact recursive prefilter (Unser 1991: one causal and one anti-causal pass with the pole
/// z = sqrt(3) - 2, half-sample symmetric start values, gain 6), and (3) it evaluates the spline with the
/// four cubic B-spline weights around each sample position. Everything runs in double precision, as scipy's
/// prefilter does. Hand-written because no dependency gives scipy parity: OpenCV's resize uses a cubic
/// convolution kernel without the prefilter or the edge padding, and libtorch's interpolate has no cubic mode
/// for volumes, so their voxels would differ from the ones the reference implementation trained on.
/// </remarks>
internal static class CubicBSpline
{
    /// <summary>Edge copies scipy adds on each side before filtering in 'nearest' mode.</summary>
    public const int EdgePadding = 12;

    /// <summary>The single pole of the cubic B-spline prefilter.</summary>
    public static readonly double Pole = Math.Sqrt(3.0) - 2.0;

    /// <summary>(1 - z)(1 - 1/z): undoes the attenuation of the two recursive passes.</summary>
    private static readonly double Gain = (1.0 - Pole) * (1.0 - 1.0 / Pole);

    /// <summary>
    /// Turns samples into cubic B-spline coefficients in place, for <paramref name="columns"/> interleaved lines:
    /// sample k of column c is at <c>lines[k * columns + c]</c>. Interleaving lets a strided axis (Y or Z) be
    /// filtered a row of columns at a time, in memory order.
    /// </summary>
    public static void Prefilter(Span<double> lines, int length, int columns)
    {
        if (length == 1)
        {
            // A single sample is its own coefficient (scipy returns it unchanged too).
            return;
        }

        var z = Pole;
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] *= Gain;
        }

        InitialiseCausal(lines, length, columns, z);
        for (var k = 1; k < length; k++)
        {
            var row = lines.Slice(k * columns, columns);
            var previous = lines.Slice((k - 1) * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                row[c] += z * previous[c];
            }
        }

        var last = lines.Slice((length - 1) * columns, columns);
        var anticausalStart = z / (z - 1.0);
        for (var c = 0; c < columns; c++)
        {
            last[c] *= anticausalStart;
        }

        for (var k = length - 2; k >= 0; k--)
        {
            var row = lines.Slice(k * columns, columns);
            var next = lines.Slice((k + 1) * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                row[c] = z * (next[c] - row[c]);
            }
        }
    }

    /// <summary>
    /// The four weights of the samples at floor(position) - 1 ... floor(position) + 2.
    /// </summary>
    public static void Weights(double position, Span<double> weights)
    {
        var t = position - Math.Floor(position);
        var s = 1.0 - t;
        weights[0] = s * s * s / 6.0;
        weights[1] = (t * t * (t - 2.0) * 3.0 + 4.0) / 6.0;
        weights[2] = (s * s * (s - 2.0) * 3.0 + 4.0) / 6.0;
        weights[3] = 1.0 - weights[0] - weights[1] - weights[2];
    }

    /// <summary>
    /// Start value of the causal pass for a half-sample symmetric (scipy 'reflect') extension, computed
    /// over the whole line as scipy does, rather than truncated at a horizon.
    /// </summary>
    private static void InitialiseCausal(Span<double> lines, int length, int columns, double z)
    {
        var zN = Math.Pow(z, length);
        var scale = z / (1.0 - zN * zN);
        var first = lines[..columns];
        var lastRow = lines.Slice((length - 1) * columns, columns);
        Span<double> sums = columns <= 256 ? stackalloc double[columns] : new double[columns];
        for (var c = 0; c < columns; c++)
        {
            sums[c] = first[c] + zN * lastRow[c];
        }

        var zI = z;
        for (var i = 1; i < length; i++)
        {
            var row = lines.Slice(i * columns, columns);
            var mirrored = lines.Slice((length - 1 - i) * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                sums[c] += zI * (row[c] + zN * mirrored[c]);
            }

            zI *= z;
        }

        for (var c = 0; c < columns; c++)
        {
            first[c] = first[c] + sums[c] * scale;
        }
    }
}
