namespace LabelFree.Pipeline.Imaging;

/// <summary>Which metadata convention decided the axes of a TIFF file.</summary>
public enum TiffFlavor
{
    /// <summary>No recognised metadata: every page is one z-plane.</summary>
    Plain,

    /// <summary>An ImageJ hyperstack: pages in C, Z, T order (channel fastest), calibration in the description.</summary>
    ImageJ,

    /// <summary>OME-TIFF: axes, sizes and plane-to-page mapping from the OME-XML in the first page's description.</summary>
    OmeTiff,
}
