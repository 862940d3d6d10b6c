namespace LabelFree.Pipeline.Imaging;

/// <summary>Extent of a hyperstack along all five axes, in the order T, C, Z, Y, X.</summary>
public readonly record struct HyperstackShape(int T, int C, int Z, int Y, int X)
{
    public VolumeShape Volume => new(Z, Y, X);

    public long VoxelCount => (long)T * C * Z * Y * X;

    public override string ToString() => $"T{T} C{C} Z{Z} Y{Y} X{X}";
}
