using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Consumers;

/// <summary>The Pipeline's shapes and voxel sizes as the message contracts and the manifest write them.</summary>
public static class ManifestShapes
{
    public static ImageShape Of(HyperstackShape shape) => new() { T = shape.T, C = shape.C, Z = shape.Z, Y = shape.Y, X = shape.X };

    public static VoxelSizeMicrometres? Of(VoxelSize? size) =>
        size is { } v ? new VoxelSizeMicrometres { Z = v.Z, Y = v.Y, X = v.X } : null;
}
