namespace LabelFree.Pipeline.Imaging;

/// <summary>The TIFF compression schemes this reader decodes; values are the TIFF Compression tag codes.</summary>
public enum TiffCompression
{
    None = 1,
    Lzw = 5,

    /// <summary>Deflate (zlib) with the registered code 8, which tifffile and LibTiff write.</summary>
    Deflate = 8,

    PackBits = 32773,

    /// <summary>The same Deflate stream under the old private code 32946, used by older tifffile and pytorch_fnet files.</summary>
    LegacyDeflate = 32946,
}
