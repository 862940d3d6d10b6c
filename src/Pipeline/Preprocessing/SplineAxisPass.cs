using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Resamples a volume along one axis with <see cref="CubicBSpline"/>, leaving the other two axes alone.
/// Output sample j sits at input position j * (n - 1) / (m - 1): the first and last samples of the line
/// keep their place, as in <c>scipy.ndimage.zoom</c> with its default <c>grid_mode=False</c>.
/// </summary>
internal static class SplineAxisPass
{
    /// <summary>
    /// Columns filtered together on a strided axis: enough to stream rows from memory, few enough that one
    /// work item's buffer stays in cache.
    /// </summary>
    private const int ColumnBlock = 64;

    public static Volume Resample(Volume source, int axis, int outputLength)
    {
        var shape = source.Shape;
        var (outer, length, inner) = Layout(shape, axis);
        var outputShape = axis switch
        {
            0 => shape with { Z = outputLength },
            1 => shape with { Y = outputLength },
            _ => shape with { X = outputLength },
        };
        var output = new Volume(outputShape);
        var taps = Taps(length, outputLength);

        var blocksPerOuter = (inner + ColumnBlock - 1) / ColumnBlock;
        var paddedLength = length + 2 * CubicBSpline.EdgePadding;
        var input = source.Voxels;
        var result = output.Voxels;

        Parallel.For(0, outer * blocksPerOuter,
            () => new double[paddedLength * Math.Min(ColumnBlock, inner)],
            (item, _, buffer) =>
            {
                var o = item / blocksPerOuter;
                var firstColumn = item % blocksPerOuter * ColumnBlock;
                var columns = Math.Min(ColumnBlock, inner - firstColumn);
                var lines = buffer.AsSpan(0, paddedLength * columns);

                var inputBase = (long)o * length * inner + firstColumn;
                for (var k = 0; k < paddedLength; k++)
                {
                    var sample = Math.Clamp(k - CubicBSpline.EdgePadding, 0, length - 1);
                    var from = input.AsSpan((int)(inputBase + (long)sample * inner), columns);
                    var row = lines.Slice(k * columns, columns);
                    for (var c = 0; c < columns; c++)
                    {
                        row[c] = from[c];
                    }
                }

                CubicBSpline.Prefilter(lines, paddedLength, columns);

                var outputBase = (long)o * outputLength * inner + firstColumn;
                for (var j = 0; j < outputLength; j++)
                {
                    var tap = taps[j];
                    var r0 = lines.Slice(tap.First * columns, columns);
                    var r1 = lines.Slice((tap.First + 1) * columns, columns);
                    var r2 = lines.Slice((tap.First + 2) * columns, columns);
                    var r3 = lines.Slice((tap.First + 3) * columns, columns);
                    var to = result.AsSpan((int)(outputBase + (long)j * inner), columns);
                    for (var c = 0; c < columns; c++)
                    {
                        to[c] = (float)(tap.W0 * r0[c] + tap.W1 * r1[c] + tap.W2 * r2[c] + tap.W3 * r3[c]);
                    }
                }

                return buffer;
            },
            _ => { });

        return output;
    }

    /// <summary>Where each output sample reads the padded coefficient line, and with which weights.</summary>
    private static Tap[] Taps(int length, int outputLength)
    {
        // scipy divides the spans between first and last samples; a single output sample sits at 0.
        var step = outputLength > 1 ? (double)(length - 1) / (outputLength - 1) : 1.0;
        var taps = new Tap[outputLength];
        Span<double> weights = stackalloc double[4];
        for (var j = 0; j < outputLength; j++)
        {
            var position = j * step + CubicBSpline.EdgePadding;
            CubicBSpline.Weights(position, weights);
            taps[j] = new Tap((int)Math.Floor(position) - 1, weights[0], weights[1], weights[2], weights[3]);
        }

        return taps;
    }

    private static (int Outer, int Length, int Inner) Layout(VolumeShape shape, int axis) => axis switch
    {
        0 => (1, shape.Z, shape.Y * shape.X),
        1 => (shape.Z, shape.Y, shape.X),
        2 => (shape.Z * shape.Y, shape.X, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0 (Z), 1 (Y) or 2 (X)."),
    };

    private readonly record struct Tap(int First, double W0, double W1, double W2, double W3);
}
