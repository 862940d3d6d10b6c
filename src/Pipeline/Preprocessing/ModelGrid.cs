using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// The grid a structure model was trained on and accepts: its voxel size, the size step of its U-Net, how an
/// input is brought to that step, and which axes it works on.
/// </summary>
/// <param name="VoxelSize">
/// The voxel size the model was trained at, or null for a model trained on images used as they came (the
/// paper's 2D EM model): inputs are then never resampled.
/// </param>
/// <param name="Multiple">Every adjusted axis must be a multiple of this (16 for a depth-4 U-Net).</param>
/// <param name="Adjustment">Pad (every voxel predicted) or crop (the paper's 3D prediction).</param>
/// <param name="Axes">Axes the model sees as spatial: all three for a 3D model, Y and X for a 2D one.</param>
public sealed record ModelGrid(
    VoxelSize? VoxelSize,
    int Multiple = 16,
    GridAdjustmentMode Adjustment = GridAdjustmentMode.ReflectPad,
    SpatialAxes Axes = SpatialAxes.All)
{
    /// <summary>The paper's 3D models: 0.29 µm isotropic voxels, padded to multiples of 16 on all axes.</summary>
    public static ModelGrid Paper3D { get; } = new(Imaging.VoxelSize.PaperIsotropic);

    /// <summary>The paper's 2D EM → IF model: no resizing, Y and X padded to multiples of 16.</summary>
    public static ModelGrid Paper2D { get; } = new(null, Axes: SpatialAxes.YX);
}
