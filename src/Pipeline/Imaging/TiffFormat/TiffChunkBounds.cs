namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>Checks that every strip or tile of a page lies inside the file before anything is decoded.</summary>
internal static class TiffChunkBounds
{
    public static void EnsureInsideFile(TiffPage page, TiffByteReader reader, string source)
    {
        var chunks = Math.Min(page.ChunkOffsets.Length, page.ChunkByteCounts.Length);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            // Uncompressed chunks are read at their decoded size, whatever the byte-count tag claims.
            var bytes = page.Compression == TiffCompression.None ? page.DecodedChunkBytes(chunk) : page.ChunkByteCounts[chunk];
            if (bytes <= 0 && page.Compression != TiffCompression.None)
            {
                throw new ImageFileException(source, ImageProblem.Corrupt,
                    FormattableString.Invariant($"page {page.Index}: strip or tile {chunk} has a byte count of {bytes}."));
            }

            if (!reader.Contains(page.ChunkOffsets[chunk], bytes))
            {
                throw new ImageFileException(source, ImageProblem.Truncated, FormattableString.Invariant(
                    $"page {page.Index}: strip or tile {chunk} ({bytes} bytes at byte {page.ChunkOffsets[chunk]}) lies beyond the end of the file ({reader.Length} bytes)."));
            }
        }
    }
}
