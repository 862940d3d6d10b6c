namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// Reads microscope images from TIFF files: OME-TIFF, ImageJ hyperstacks and plain multi-page TIFF (pages = z),
/// classic or BigTIFF, striped or tiled, uncompressed, LZW, Deflate or PackBits, 8/16/32-bit integer or
/// 16/32/64-bit float samples, either byte order. Every voxel becomes float32.
/// Bad input raises <see cref="ImageFileException"/> naming the file and an <see cref="ImageProblem"/>; size
/// limits are checked from the headers before pixel memory is allocated. A path that does not exist raises the
/// usual <see cref="FileNotFoundException"/>: that is a storage problem, not bad image content.
/// </summary>
public static class HyperstackFile
{
    public static Hyperstack Read(string path, ImageReadOptions? options = null) => ReadWithInfo(path, options).Image;

    /// <param name="nameForErrors">The file or blob name that exceptions report.</param>
    public static Hyperstack Read(Stream stream, string nameForErrors, ImageReadOptions? options = null) =>
        ReadWithInfo(stream, nameForErrors, options).Image;

    public static HyperstackFileContent ReadWithInfo(string path, ImageReadOptions? options = null)
    {
        using var stream = OpenFile(path);
        return TiffHyperstackReader.Read(stream, path, options ?? ImageReadOptions.Default);
    }

    /// <summary>Reads from a stream; a stream that cannot seek (a download) is first copied to a temporary file.</summary>
    public static HyperstackFileContent ReadWithInfo(Stream stream, string nameForErrors, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return TiffHyperstackReader.Read(stream, nameForErrors, options ?? ImageReadOptions.Default);
    }

    /// <summary>Shape, calibration and storage facts from the headers, with every check but decoding the pixels.</summary>
    public static HyperstackFileInfo Inspect(string path, ImageReadOptions? options = null)
    {
        using var stream = OpenFile(path);
        return TiffHyperstackReader.Inspect(stream, path, options ?? ImageReadOptions.Default);
    }

    public static HyperstackFileInfo Inspect(Stream stream, string nameForErrors, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return TiffHyperstackReader.Inspect(stream, nameForErrors, options ?? ImageReadOptions.Default);
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
    }
}
