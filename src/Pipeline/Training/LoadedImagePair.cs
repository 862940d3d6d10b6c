using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>The two volumes of an <see cref="ImagePair"/>, as read from their files, on the input grid.</summary>
/// <param name="VoxelSize">The pair's voxel size: the CSV's override, else the signal file's, else null (unknown).</param>
public sealed record LoadedImagePair(string Name, Volume Signal, Volume Target, VoxelSize? VoxelSize);
