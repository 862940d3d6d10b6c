using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// Cubic B-spline resampling of a volume, the reference's <c>scipy.ndimage.zoom(order=3, mode='nearest')</c>:
/// the paper brings every stack to 0.29 µm voxels before the network sees it, and brings predictions back
/// onto the input grid afterwards.
/// </summary>
/// <remarks>
/// Axes are resampled one at a time. Because the spline is a tensor product, this gives scipy's result up to
/// float32 rounding of the intermediate volume. An axis whose length does not change is not touched at all,
/// so its voxels stay bit-for-bit the same.
/// </remarks>
public static class Resampling
{
    /// <summary>Voxel sizes closer than this (relative) count as equal: metadata round trips lose digits.</summary>
    public const double RelativeSizeTolerance = 1e-6;

    /// <summary>True when two voxel edge lengths are equal within <see cref="RelativeSizeTolerance"/>.</summary>
    public static bool SameSize(double a, double b) =>
        Math.Abs(a - b) <= RelativeSizeTolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>
    /// The shape after resampling from <paramref name="from"/> to <paramref name="to"/> voxels: on each
    /// chosen axis whose size differs, round(length × from / to), rounding half to even like Python's round.
    /// The paper's 624 × 924 at 0.108 µm becomes 232 × 344 at 0.29 µm.
    /// </summary>
    public static VolumeShape ResampledShape(VolumeShape shape, VoxelSize from, VoxelSize to, SpatialAxes axes = SpatialAxes.All)
    {
        RequireValid(from, nameof(from));
        RequireValid(to, nameof(to));
        return new VolumeShape(
            AxisLength(shape.Z, from.Z, to.Z, axes.HasFlag(SpatialAxes.Z), "Z"),
            AxisLength(shape.Y, from.Y, to.Y, axes.HasFlag(SpatialAxes.Y), "Y"),
            AxisLength(shape.X, from.X, to.X, axes.HasFlag(SpatialAxes.X), "X"));
    }

    /// <summary>Resamples a volume with voxel size <paramref name="from"/> to voxel size <paramref name="to"/>.</summary>
    /// <returns>A new volume, or <paramref name="volume"/> itself when no axis changes length.</returns>
    public static Volume Resample(Volume volume, VoxelSize from, VoxelSize to, SpatialAxes axes = SpatialAxes.All)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return Resample(volume, ResampledShape(volume.Shape, from, to, axes));
    }

    /// <summary>
    /// Resamples a volume to exactly <paramref name="targetShape"/>; this is how a prediction made on the model
    /// grid returns to the input grid. First and last samples of every axis stay aligned.
    /// </summary>
    /// <returns>
    /// A new volume, or <paramref name="volume"/> itself (not a copy) when the shapes are equal: pre-processing
    /// never writes into its input, so sharing is safe and saves a copy of a large stack.
    /// </returns>
    public static Volume Resample(Volume volume, VolumeShape targetShape)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (targetShape.Z <= 0 || targetShape.Y <= 0 || targetShape.X <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetShape), $"Every dimension of the target shape must be positive, got {targetShape}.");
        }

        var current = volume;
        foreach (var axis in ShrinkingFirst(volume.Shape, targetShape))
        {
            current = SplineAxisPass.Resample(current, axis, Length(targetShape, axis));
        }

        return current;
    }

    /// <summary>
    /// Axes that change, the one shrinking most first: later passes then run on a smaller volume, which saves
    /// time and memory when a 624 × 924 plane becomes 232 × 344.
    /// </summary>
    private static IEnumerable<int> ShrinkingFirst(VolumeShape from, VolumeShape to) =>
        Enumerable.Range(0, 3)
            .Where(axis => Length(from, axis) != Length(to, axis))
            .OrderBy(axis => (double)Length(to, axis) / Length(from, axis))
            .ThenBy(axis => axis)
            .ToArray();

    private static int Length(VolumeShape shape, int axis) => axis switch
    {
        0 => shape.Z,
        1 => shape.Y,
        _ => shape.X,
    };

    private static int AxisLength(int length, double from, double to, bool resampled, string axisName)
    {
        if (!resampled || SameSize(from, to))
        {
            return length;
        }

        var exact = length * (from / to);
        var rounded = Math.Round(exact, MidpointRounding.ToEven);
        if (rounded < 1)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"Resampling axis {axisName} of length {length} from {from} µm to {to} µm leaves {exact:0.###} voxels: the image is too small for this voxel size."));
        }

        return checked((int)rounded);
    }

    private static void RequireValid(VoxelSize size, string name)
    {
        if (!size.IsValid)
        {
            throw new ArgumentOutOfRangeException(name, $"Voxel size must be finite and positive, got {size}.");
        }
    }
}
