using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// One registered (signal, target) pair of image files: e.g. a bright-field z-stack and the DNA
/// fluorescence of the same field. Channels select one channel of a multi-channel file; the voxel
/// size overrides (or supplies) what the files record.
/// </summary>
public sealed record ImagePair(
    string SignalPath,
    string TargetPath,
    int? SignalChannel = null,
    int? TargetChannel = null,
    VoxelSize? VoxelSize = null);
