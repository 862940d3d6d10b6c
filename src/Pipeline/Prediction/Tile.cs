using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>One block of a volume predicted in one forward pass: its first voxel (Z, Y, X) and its size.</summary>
public readonly record struct Tile(int Z, int Y, int X, VolumeShape Shape)
{
    public override string ToString() => $"{Shape} at ({Z}, {Y}, {X})";
}
