using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Padding or cropping that makes every chosen axis a multiple of the network's size step (16 for a depth-4
/// U-Net), recorded so that the network's output can be put back exactly where the input was.
/// </summary>
/// <remarks>
/// Padding is undone by cutting the padding off, which returns the original voxels bit for bit. Cropping is
/// undone by placing the result into a volume of the original shape whose cut-off margins hold
/// <see cref="CroppedMarginValue"/>.
/// </remarks>
public sealed record GridAdjustment
{
    /// <summary>
    /// What the margins a crop removed hold after <see cref="Invert"/>: 0, as the reference's un-crop does. Not
    /// NaN, although "no prediction" would be more literal: the result is resampled with a recursive spline
    /// filter next, and one NaN would spread along its whole line.
    /// </summary>
    public const float CroppedMarginValue = 0f;

    private GridAdjustment(GridAdjustmentMode mode, int multiple, AxisAdjustment z, AxisAdjustment y, AxisAdjustment x)
    {
        Mode = mode;
        Multiple = multiple;
        Z = z;
        Y = y;
        X = x;
    }

    public GridAdjustmentMode Mode { get; }

    public int Multiple { get; }

    public AxisAdjustment Z { get; }

    public AxisAdjustment Y { get; }

    public AxisAdjustment X { get; }

    public VolumeShape OriginalShape => new(Z.Original, Y.Original, X.Original);

    public VolumeShape AdjustedShape => new(Z.Adjusted, Y.Adjusted, X.Adjusted);

    public bool IsIdentity => Z.IsIdentity && Y.IsIdentity && X.IsIdentity;

    /// <summary>
    /// Plans the adjustment of a volume of <paramref name="shape"/>. Axes outside <paramref name="axes"/> keep
    /// their length: a 2D model adjusts only Y and X, so Z = 1 stays 1.
    /// </summary>
    /// <exception cref="ArgumentException">Cropping an axis shorter than the multiple.</exception>
    public static GridAdjustment Plan(VolumeShape shape, GridAdjustmentMode mode, int multiple = 16, SpatialAxes axes = SpatialAxes.All)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(multiple, 1);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown grid adjustment mode.");
        }

        return new GridAdjustment(mode, multiple,
            Axis(shape.Z, SpatialAxes.Z, "Z"),
            Axis(shape.Y, SpatialAxes.Y, "Y"),
            Axis(shape.X, SpatialAxes.X, "X"));

        AxisAdjustment Axis(int length, SpatialAxes axis, string name) =>
            axes.HasFlag(axis) ? AxisAdjustment.Plan(length, multiple, mode, name) : AxisAdjustment.Unchanged(length);
    }

    /// <summary>Pads or crops the volume to <see cref="AdjustedShape"/>.</summary>
    /// <returns>A new volume, or <paramref name="volume"/> itself when no axis changes.</returns>
    public Volume Apply(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        RequireShape(volume, OriginalShape, "original");
        if (IsIdentity)
        {
            return volume;
        }

        return Mode == GridAdjustmentMode.ReflectPad
            ? Gather(volume, AdjustedShape, Sources(Z.Adjusted, Z.ReflectedSource), Sources(Y.Adjusted, Y.ReflectedSource), Sources(X.Adjusted, X.ReflectedSource))
            : Gather(volume, AdjustedShape, Sources(Z.Adjusted, Z.Shifted), Sources(Y.Adjusted, Y.Shifted), Sources(X.Adjusted, X.Shifted));
    }

    /// <summary>
    /// Brings a volume on the adjusted grid (typically the network's output) back to <see cref="OriginalShape"/>.
    /// </summary>
    /// <returns>A new volume, or <paramref name="adjusted"/> itself when no axis changed.</returns>
    public Volume Invert(Volume adjusted)
    {
        ArgumentNullException.ThrowIfNull(adjusted);
        RequireShape(adjusted, AdjustedShape, "adjusted");
        if (IsIdentity)
        {
            return adjusted;
        }

        if (Mode == GridAdjustmentMode.ReflectPad)
        {
            // The original voxels sit at Offset … Offset + Original - 1 of the padded grid.
            return Gather(adjusted, OriginalShape, Sources(Z.Original, Z.Shifted), Sources(Y.Original, Y.Shifted), Sources(X.Original, X.Shifted));
        }

        // A new volume starts zero-filled, which is CroppedMarginValue.
        var restored = new Volume(OriginalShape);

        var width = X.Adjusted;
        for (var z = 0; z < Z.Adjusted; z++)
        {
            for (var y = 0; y < Y.Adjusted; y++)
            {
                var from = adjusted.Voxels.AsSpan((z * Y.Adjusted + y) * width, width);
                var to = restored.Voxels.AsSpan(((z + Z.Offset) * Y.Original + y + Y.Offset) * X.Original + X.Offset, width);
                from.CopyTo(to);
            }
        }

        return restored;
    }

    /// <summary>For each index along an axis of the result, the index it copies along the source axis.</summary>
    private static int[] Sources(int length, Func<int, int> source) =>
        Enumerable.Range(0, length).Select(source).ToArray();

    private static Volume Gather(Volume source, VolumeShape shape, int[] zs, int[] ys, int[] xs)
    {
        var result = new Volume(shape);
        var input = source.Voxels;
        var output = result.Voxels;
        var sourceShape = source.Shape;
        Parallel.For(0, shape.Z, z =>
        {
            for (var y = 0; y < shape.Y; y++)
            {
                var sourceRow = (zs[z] * sourceShape.Y + ys[y]) * sourceShape.X;
                var row = output.AsSpan((z * shape.Y + y) * shape.X, shape.X);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = input[sourceRow + xs[x]];
                }
            }
        });

        return result;
    }

    private static void RequireShape(Volume volume, VolumeShape expected, string grid)
    {
        if (volume.Shape != expected)
        {
            throw new ArgumentException($"Expected a volume on the {grid} grid {expected}, got {volume.Shape}.", nameof(volume));
        }
    }
}
