using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>How a volume is cut for prediction: the shape of every pass, how many, the seam margin kept, and the work it costs.</summary>
/// <param name="Margin">Voxels each tile's output stays from its inner edges; 0 for one pass.</param>
/// <param name="VoxelOverhead">Voxels pushed through the network per volume voxel: 1 for one pass. Prediction time grows in proportion.</param>
public sealed record TileLayout(VolumeShape Volume, VolumeShape TileShape, int TileCount, int Margin, double VoxelOverhead)
{
    public bool IsTiled => TileCount > 1;
}
