namespace LabelFree.Pipeline.Imaging;

/// <summary>Why an image file could not be used. Stable names: the worker maps them to rejection reasons.</summary>
public enum ImageProblem
{
    /// <summary>The file does not start with a TIFF header.</summary>
    NotATiff,

    /// <summary>The file ends before the data its header describes.</summary>
    Truncated,

    /// <summary>Structures inside the file are inconsistent or unreadable (bad offsets, undecodable strips).</summary>
    Corrupt,

    /// <summary>A pixel layout we do not read (complex samples, RGB without a chosen channel, odd bit depths).</summary>
    UnsupportedFormat,

    /// <summary>A dimension of zero size.</summary>
    EmptyDimension,

    /// <summary>The header describes more voxels than the configured cap allows (checked before allocating).</summary>
    TooLarge,

    /// <summary>OME-XML or ImageJ metadata disagree with the image file directories.</summary>
    MetadataMismatch,

    /// <summary>The image holds NaN or infinite values.</summary>
    NonFiniteValues,

    /// <summary>The requested channel or axis does not exist in the image.</summary>
    ChannelOutOfRange,
}
