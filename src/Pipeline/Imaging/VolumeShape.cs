namespace LabelFree.Pipeline.Imaging;

/// <summary>Spatial extent of one volume in voxels, numpy order (Z, Y, X). A 2D image has Z = 1.</summary>
public readonly record struct VolumeShape(int Z, int Y, int X)
{
    public long VoxelCount => (long)Z * Y * X;

    public long PlaneSize => (long)Y * X;

    public override string ToString() => $"{Z}x{Y}x{X}";
}
