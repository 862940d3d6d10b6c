namespace LabelFree.Pipeline.Imaging;

/// <summary>How <see cref="OmeZarrWriter"/> stores a hyperstack.</summary>
public sealed record OmeZarrWriteOptions
{
    /// <summary>4 MiB of float32 per chunk at most (a 1 x 1 x 16 x 256 x 256 block holds exactly that).</summary>
    public const long DefaultMaxChunkBytes = 4L * 1024 * 1024;

    public static OmeZarrWriteOptions Default { get; } = new();

    /// <summary>Uncompressed bytes of one chunk at most; the Z, Y, X block is halved until it fits.</summary>
    public long MaxChunkBytes { get; init; } = DefaultMaxChunkBytes;

    /// <summary>zlib-compress every chunk (numcodecs' "zlib" codec, level 6); false stores raw chunks.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>The multiscale's and omero's name; null uses the store's file name.</summary>
    public string? ImageName { get; init; }
}
