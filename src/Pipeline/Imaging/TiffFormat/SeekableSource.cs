namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// TIFF offsets are absolute, so the reader needs a seekable stream that starts at the file's first byte. Other
/// streams (network and blob downloads) are first copied to a temporary file that deletes itself on close.
/// </summary>
internal sealed class SeekableSource : IDisposable
{
    private readonly Stream? _copy;

    private SeekableSource(Stream stream, Stream? copy)
    {
        Stream = stream;
        _copy = copy;
    }

    public Stream Stream { get; }

    public static SeekableSource Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek && stream.Position == 0)
        {
            return new SeekableSource(stream, null);
        }

        var path = Path.Combine(Path.GetTempPath(), $"labelfree-read-{Guid.NewGuid():N}.tif");
        var copy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            stream.CopyTo(copy);
            copy.Position = 0;
            return new SeekableSource(copy, copy);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    public void Dispose() => _copy?.Dispose();
}
