namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// One page (image file directory) interpreted as a 2D plane: size, sample layout, compression and where its
/// strips or tiles lie. Chunks are strips (ChunkWidth = Width) or tiles, in TIFF order; with planar
/// configuration "separate" the chunks of sample 0 come first, then those of sample 1, and so on.
/// </summary>
internal sealed record TiffPage
{
    public required int Index { get; init; }

    /// <summary>File offset of the page's directory; null for pages inferred from contiguous ImageJ data.</summary>
    public required long? DirectoryOffset { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required PixelSampleType SampleType { get; init; }

    public required int SamplesPerPixel { get; init; }

    public required bool PlanarSeparate { get; init; }

    public required TiffCompression Compression { get; init; }

    public required bool IsTiled { get; init; }

    public required int ChunkWidth { get; init; }

    public required int ChunkHeight { get; init; }

    public required long[] ChunkOffsets { get; init; }

    public required long[] ChunkByteCounts { get; init; }

    /// <summary>NewSubfileType bit 0: a thumbnail or pyramid level, not part of the image proper.</summary>
    public required bool IsReducedResolution { get; init; }

    public required string? Description { get; init; }

    /// <summary>Pixels per resolution unit along X and Y, when recorded.</summary>
    public required double? XResolution { get; init; }

    public required double? YResolution { get; init; }

    /// <summary>TIFF ResolutionUnit: 1 none, 2 inch, 3 centimetre.</summary>
    public required int ResolutionUnit { get; init; }

    public int BytesPerSample => SampleType switch
    {
        PixelSampleType.UInt8 or PixelSampleType.Int8 => 1,
        PixelSampleType.UInt16 or PixelSampleType.Int16 or PixelSampleType.Float16 => 2,
        PixelSampleType.Float64 => 8,
        _ => 4,
    };

    public bool IsFloatingPoint => SampleType is PixelSampleType.Float16 or PixelSampleType.Float32 or PixelSampleType.Float64;

    /// <summary>Samples stored side by side in each decoded chunk row: all of them when interleaved, one when planar.</summary>
    public int SamplesPerChunkPixel => PlanarSeparate ? 1 : SamplesPerPixel;

    public int ChunksAcross => (int)((Width + (long)ChunkWidth - 1) / ChunkWidth);

    public int ChunksDown => (int)((Height + (long)ChunkHeight - 1) / ChunkHeight);

    /// <summary>Chunks holding one sample plane (or all samples when interleaved).</summary>
    public long ChunksPerSamplePlane => (long)ChunksAcross * ChunksDown;

    /// <summary>Bytes of one decoded row of the whole page, as held in the page buffer.</summary>
    public long RowBytes => (long)Width * SamplesPerChunkPixel * BytesPerSample;

    /// <summary>Bytes of one decoded chunk row (a strip row, or a full tile row including padding).</summary>
    public long ChunkRowBytes => (long)ChunkWidth * SamplesPerChunkPixel * BytesPerSample;

    /// <summary>Bytes of the decoded page buffer that holds the sample planes the reader uses.</summary>
    public long PageBufferBytes => Saturating.Multiply(RowBytes, Height);

    /// <summary>Decoded bytes of chunk <paramref name="chunk"/> (short for the last strip of a page).</summary>
    public long DecodedChunkBytes(int chunk)
    {
        if (IsTiled)
        {
            return Saturating.Multiply(ChunkRowBytes, ChunkHeight);
        }

        var strip = chunk % ChunksDown;
        var rows = Math.Min(ChunkHeight, Height - (long)strip * ChunkHeight);
        return Saturating.Multiply(rows, RowBytes);
    }
}
