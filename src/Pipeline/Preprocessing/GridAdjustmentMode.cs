namespace LabelFree.Pipeline.Preprocessing;

/// <summary>How a volume is brought to a size the U-Net accepts (a multiple of 16 per spatial axis).</summary>
public enum GridAdjustmentMode
{
    /// <summary>
    /// Grow each axis to the next multiple with numpy 'reflect' padding (edge voxel not repeated), split as
    /// pytorch_fnet's Padder does: half before, the rest after. Every input voxel gets a prediction; the
    /// paper does this for its EM images.
    /// </summary>
    ReflectPad,

    /// <summary>
    /// Shrink each axis to the previous multiple by a centred crop, the extra voxel going to the end, as
    /// pytorch_fnet's Cropper does for the paper's 3D predictions. Voxels cut off get no prediction.
    /// </summary>
    CentreCrop,
}
