namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// What padding or cropping did to one axis: its length before and after, and where the original voxels sit.
/// </summary>
/// <param name="Original">Length before the adjustment.</param>
/// <param name="Adjusted">Length after the adjustment.</param>
/// <param name="Offset">
/// For padding, the voxels added before the first original voxel; for cropping, the index of the first kept voxel.
/// </param>
public readonly record struct AxisAdjustment(int Original, int Adjusted, int Offset)
{
    public bool IsIdentity => Original == Adjusted;

    public static AxisAdjustment Unchanged(int length) => new(length, length, 0);

    internal static AxisAdjustment Plan(int length, int multiple, GridAdjustmentMode mode, string axisName)
    {
        if (mode == GridAdjustmentMode.ReflectPad)
        {
            var padded = (length + multiple - 1) / multiple * multiple;
            return new AxisAdjustment(length, padded, (padded - length) / 2);
        }

        var cropped = length / multiple * multiple;
        if (cropped == 0)
        {
            throw new ArgumentException(
                $"Axis {axisName} has {length} voxels, fewer than the multiple {multiple}: a centre crop would leave nothing. Use reflect padding for images this small.");
        }

        return new AxisAdjustment(length, cropped, (length - cropped) / 2);
    }

    /// <summary>Index <paramref name="index"/> moved by <see cref="Offset"/>: where a crop reads, or where padding put an original voxel.</summary>
    internal int Shifted(int index) => index + Offset;

    /// <summary>
    /// The original index that padded position <paramref name="padded"/> copies: numpy's 'reflect' (mirror
    /// about the edge voxel, which is not repeated), continued periodically with period 2(n - 1) when the pad
    /// is longer than the axis, so even a 3-slice stack pads to 16. For our half-before/half-after split this
    /// equals numpy.pad(mode='reflect') exactly (checked for lengths 2-199 and multiples 8, 16, 32); a
    /// single-voxel axis is repeated, as numpy does.
    /// </summary>
    internal int ReflectedSource(int padded)
    {
        if (Original == 1)
        {
            return 0;
        }

        var period = 2 * (Original - 1);
        var phase = (padded - Offset) % period;
        if (phase < 0)
        {
            phase += period;
        }

        return phase < Original ? phase : period - phase;
    }
}
