namespace LabelFree.Messages;

/// <summary>Physical size of one voxel in micrometres, per axis.</summary>
public sealed record VoxelSizeMicrometres
{
    /// <summary>Spacing between z-planes, in micrometres.</summary>
    public required double Z { get; init; }

    /// <summary>Pixel height, in micrometres.</summary>
    public required double Y { get; init; }

    /// <summary>Pixel width, in micrometres.</summary>
    public required double X { get; init; }
}
