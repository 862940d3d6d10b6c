namespace LabelFree.Pipeline.Imaging;

/// <summary>What an image file holds and how it was stored, as read from its headers and metadata.</summary>
public sealed record HyperstackFileInfo
{
    /// <summary>The path or blob name the file was read from.</summary>
    public required string Source { get; init; }

    public required TiffFlavor Flavor { get; init; }

    public required bool IsBigTiff { get; init; }

    public required bool IsBigEndian { get; init; }

    /// <summary>The stored sample type before conversion to float32.</summary>
    public required PixelSampleType SampleType { get; init; }

    public required int SamplesPerPixel { get; init; }

    /// <summary>Compression of the first page that was read.</summary>
    public required TiffCompression Compression { get; init; }

    public required bool IsTiled { get; init; }

    /// <summary>Number of top-level image file directories (pages) in the file.</summary>
    public required int PageCount { get; init; }

    /// <summary>Number of images (OME series) in the file; only the first is read.</summary>
    public required int ImageCount { get; init; }

    public required HyperstackShape Shape { get; init; }

    /// <summary>Voxel size in µm when the file records the pixel size; see <see cref="ZSpacingRecorded"/>.</summary>
    public required VoxelSize? VoxelSize { get; init; }

    /// <summary>
    /// False when the file records the pixel size but no z-spacing: the voxel size then assumes cubic voxels
    /// (Z = X), which is exact for a 2D image and only a guess for a stack.
    /// </summary>
    public required bool ZSpacingRecorded { get; init; }

    public required IReadOnlyList<string> ChannelNames { get; init; }

    public required double? FrameIntervalSeconds { get; init; }

    /// <summary>
    /// Per channel, the scaling that mapped float values to stored integers (written by <see cref="OmeTiffWriter"/>),
    /// already undone in the image that was read; null for channels stored without one.
    /// </summary>
    public required IReadOnlyList<SampleScaling?> ChannelScaling { get; init; }
}
