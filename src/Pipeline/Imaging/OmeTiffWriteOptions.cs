namespace LabelFree.Pipeline.Imaging;

/// <summary>How <see cref="OmeTiffWriter"/> stores a hyperstack.</summary>
public sealed record OmeTiffWriteOptions
{
    /// <summary>3.9 GiB: below 4 GiB with room for directories and metadata, so classic 32-bit offsets never overflow.</summary>
    public const long DefaultBigTiffThresholdBytes = 4_187_593_113;

    public static OmeTiffWriteOptions Default { get; } = new();

    public OmeTiffSampleType SampleType { get; init; } = OmeTiffSampleType.Float32;

    /// <summary>
    /// For uint16 output: one scaling for every channel (values outside its range are clamped), or null to fit
    /// each channel's own minimum..maximum onto 0..65535.
    /// </summary>
    public SampleScaling? UInt16Scaling { get; init; }

    /// <summary>Deflate (code 8) compression; uint16 data also gets horizontal differencing (predictor 2).</summary>
    public bool Compress { get; init; }

    /// <summary>Rows per strip; null writes one strip per page (split only when a page passes 1 GiB).</summary>
    public int? RowsPerStrip { get; init; }

    /// <summary>Write BigTIFF when the estimated file size exceeds this many bytes.</summary>
    public long BigTiffThresholdBytes { get; init; } = DefaultBigTiffThresholdBytes;

    /// <summary>The OME Image Name; null uses the file name.</summary>
    public string? ImageName { get; init; }
}
