using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// One 3D float32 volume (one time point of one channel), stored contiguously in Z, Y, X order.
/// A 2D image is a volume with Z = 1. Metadata (voxel size, channel name) lives on <see cref="Hyperstack"/>.
/// </summary>
public sealed class Volume
{
    public Volume(VolumeShape shape) : this(shape, new float[checked((int)shape.VoxelCount)])
    {
    }

    public Volume(VolumeShape shape, float[] voxels)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        if (shape.Z <= 0 || shape.Y <= 0 || shape.X <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Every dimension must be positive, got {shape}.");
        }

        if (voxels.LongLength != shape.VoxelCount)
        {
            throw new ArgumentException($"Shape {shape} needs {shape.VoxelCount} voxels, got {voxels.LongLength}.", nameof(voxels));
        }

        Shape = shape;
        Voxels = voxels;
    }

    public VolumeShape Shape { get; }

    /// <summary>The voxels in Z, Y, X order (index = (z * Y + y) * X + x).</summary>
    public float[] Voxels { get; }

    public int Depth => Shape.Z;

    public int Height => Shape.Y;

    public int Width => Shape.X;

    public float this[int z, int y, int x]
    {
        get => Voxels[Index(z, y, x)];
        set => Voxels[Index(z, y, x)] = value;
    }

    public Span<float> Plane(int z) => Voxels.AsSpan(checked((int)(z * Shape.PlaneSize)), (int)Shape.PlaneSize);

    public Volume Clone() => new(Shape, (float[])Voxels.Clone());

    /// <summary>How many voxels are NaN or infinite.</summary>
    public long CountNonFinite()
    {
        var count = 0L;
        var rest = new ReadOnlySpan<float>(Voxels);
        for (var index = NonFiniteScan.IndexOfFirst(rest); index >= 0; index = NonFiniteScan.IndexOfFirst(rest))
        {
            count++;
            rest = rest[(index + 1)..];
        }

        return count;
    }

    private int Index(int z, int y, int x) => (z * Shape.Y + y) * Shape.X + x;
}
