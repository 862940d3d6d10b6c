namespace LabelFree.Pipeline.Imaging;

/// <summary>Limits and choices for reading an image file.</summary>
public sealed record ImageReadOptions
{
    public static ImageReadOptions Default { get; } = new();

    /// <summary>
    /// The most voxels (T x C x Z x Y x X) a file may describe; checked from the headers before any pixel memory is
    /// allocated. Each single volume must in addition fit one float array.
    /// </summary>
    public long MaxVoxels { get; init; } = int.MaxValue;

    /// <summary>Reject images that hold NaN or infinite values (floating-point files only). On by default.</summary>
    public bool RejectNonFiniteValues { get; init; } = true;

    /// <summary>
    /// For files with several samples per pixel (RGB, interleaved or planar): the sample to read as the one channel.
    /// Null rejects such files, because silently picking or averaging colours would change the science.
    /// </summary>
    public int? Sample { get; init; }
}
