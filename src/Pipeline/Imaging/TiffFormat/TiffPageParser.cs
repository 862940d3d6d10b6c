namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>Turns an image file directory into a <see cref="TiffPage"/>, rejecting layouts the reader cannot decode.</summary>
internal static class TiffPageParser
{
    // Hyperspectral files can carry many samples; more than this is a corrupted field, not an image.
    private const long MaxSamplesPerPixel = 1024;

    public static TiffPage Parse(TiffDirectory directory, string source)
    {
        var index = directory.Index;
        var width = RequiredDimension(directory, TiffTagId.ImageWidth, "ImageWidth", source);
        var height = RequiredDimension(directory, TiffTagId.ImageLength, "ImageLength", source);

        var samplesPerPixel = directory.GetInteger(TiffTagId.SamplesPerPixel, 1);
        if (samplesPerPixel is < 1 or > MaxSamplesPerPixel)
        {
            throw Problem(source, ImageProblem.Corrupt, index, FormattableString.Invariant($"SamplesPerPixel is {samplesPerPixel}"));
        }

        var sampleType = SampleTypeOf(directory, source);
        var compression = CompressionOf(directory, source);
        // Stored values are returned as they are, like tifffile does: MinIsWhite is not inverted, palette indices
        // are not looked up. Only YCbCr (subsampled, JPEG-coupled colour) cannot be read as plain samples.
        var photometric = directory.GetInteger(TiffTagId.Photometric, 1);
        if (photometric == 6)
        {
            throw Problem(source, ImageProblem.UnsupportedFormat, index, "YCbCr colour (PhotometricInterpretation 6) is not read; convert to grayscale or RGB");
        }

        if (directory.GetInteger(TiffTagId.FillOrder, 1) == 2)
        {
            throw Problem(source, ImageProblem.UnsupportedFormat, index, "bit-reversed fill order (FillOrder 2) is not read");
        }

        var predictor = directory.GetInteger(TiffTagId.Predictor, 1);
        var isFloat = sampleType is PixelSampleType.Float16 or PixelSampleType.Float32 or PixelSampleType.Float64;
        if (compression != TiffCompression.None && !(predictor == 1 || predictor == 2 || (predictor == 3 && isFloat)))
        {
            throw Problem(source, ImageProblem.UnsupportedFormat, index, FormattableString.Invariant($"predictor {predictor} is not read for {sampleType} samples"));
        }

        var planarSeparate = samplesPerPixel > 1 && directory.GetInteger(TiffTagId.PlanarConfig, 1) == 2;
        var isTiled = directory.Has(TiffTagId.TileWidth) || directory.Has(TiffTagId.TileOffsets);
        int chunkWidth, chunkHeight;
        if (isTiled)
        {
            chunkWidth = PositiveInt(directory.GetInteger(TiffTagId.TileWidth, 0), "TileWidth", index, source);
            chunkHeight = PositiveInt(directory.GetInteger(TiffTagId.TileLength, 0), "TileLength", index, source);
        }
        else
        {
            chunkWidth = width;
            var rowsPerStrip = directory.GetInteger(TiffTagId.RowsPerStrip, height);
            chunkHeight = rowsPerStrip <= 0 ? throw Problem(source, ImageProblem.Corrupt, index, "RowsPerStrip is 0") : (int)Math.Min(rowsPerStrip, height);
        }

        var chunksAcross = ((long)width + chunkWidth - 1) / chunkWidth;
        var chunksDown = ((long)height + chunkHeight - 1) / chunkHeight;
        var expectedChunks = Saturating.Multiply(chunksAcross, chunksDown, planarSeparate ? samplesPerPixel : 1);
        var offsetTag = isTiled ? TiffTagId.TileOffsets : TiffTagId.StripOffsets;
        var offsets = directory.GetIntegers(offsetTag, expectedChunks)
            ?? throw Problem(source, ImageProblem.Corrupt, index, isTiled ? "tiled page without TileOffsets" : "page without StripOffsets");
        var byteCounts = directory.GetIntegers(isTiled ? TiffTagId.TileByteCounts : TiffTagId.StripByteCounts, expectedChunks);
        if (offsets.LongLength < expectedChunks)
        {
            throw Problem(source, ImageProblem.Corrupt, index, FormattableString.Invariant($"{offsets.Length} data offsets for {expectedChunks} strips or tiles"));
        }

        var page = new TiffPage
        {
            Index = index,
            DirectoryOffset = directory.Offset,
            Width = width,
            Height = height,
            SampleType = sampleType,
            SamplesPerPixel = (int)samplesPerPixel,
            PlanarSeparate = planarSeparate,
            Compression = compression,
            IsTiled = isTiled,
            ChunkWidth = chunkWidth,
            ChunkHeight = chunkHeight,
            ChunkOffsets = offsets,
            ChunkByteCounts = byteCounts ?? [],
            IsReducedResolution = (directory.GetInteger(TiffTagId.NewSubfileType, 0) & 1) != 0,
            Description = directory.GetString(TiffTagId.ImageDescription),
            XResolution = directory.GetRational(TiffTagId.XResolution),
            YResolution = directory.GetRational(TiffTagId.YResolution),
            ResolutionUnit = (int)directory.GetInteger(TiffTagId.ResolutionUnit, 2),
        };

        if (byteCounts is null)
        {
            // Old writers omit byte counts for uncompressed data; the chunk size is then implied by the layout.
            return compression == TiffCompression.None
                ? page with { ChunkByteCounts = Enumerable.Range(0, offsets.Length).Select(c => page.DecodedChunkBytes(c)).ToArray() }
                : throw Problem(source, ImageProblem.Corrupt, index, "compressed page without byte counts");
        }

        return byteCounts.LongLength < expectedChunks
            ? throw Problem(source, ImageProblem.Corrupt, index, FormattableString.Invariant($"{byteCounts.Length} byte counts for {expectedChunks} strips or tiles"))
            : page;
    }

    private static int RequiredDimension(TiffDirectory directory, ushort tag, string name, string source)
    {
        var value = directory.GetInteger(tag, -1);
        if (value == -1 && !directory.Has(tag))
        {
            throw Problem(source, ImageProblem.Corrupt, directory.Index, $"the required {name} tag is missing");
        }

        if (value == 0)
        {
            throw Problem(source, ImageProblem.EmptyDimension, directory.Index, $"{name} is 0");
        }

        return value is < 0 or > int.MaxValue
            ? throw Problem(source, ImageProblem.Corrupt, directory.Index, FormattableString.Invariant($"{name} is {value}"))
            : (int)value;
    }

    private static int PositiveInt(long value, string name, int index, string source) =>
        value is <= 0 or > int.MaxValue
            ? throw Problem(source, ImageProblem.Corrupt, index, FormattableString.Invariant($"{name} is {value}"))
            : (int)value;

    private static PixelSampleType SampleTypeOf(TiffDirectory directory, string source)
    {
        var bits = directory.GetIntegers(TiffTagId.BitsPerSample) ?? [1];
        var formats = directory.GetIntegers(TiffTagId.SampleFormat) ?? [1];
        if (bits.Length == 0 || bits.Any(b => b != bits[0]) || formats.Length == 0 || formats.Any(f => f != formats[0]))
        {
            throw Problem(source, ImageProblem.UnsupportedFormat, directory.Index, "samples of one pixel differ in bit depth or format");
        }

        var format = formats[0];
        var depth = bits[0];
        return (format, depth) switch
        {
            (1 or 4, 8) => PixelSampleType.UInt8,
            (1 or 4, 16) => PixelSampleType.UInt16,
            (1 or 4, 32) => PixelSampleType.UInt32,
            (2, 8) => PixelSampleType.Int8,
            (2, 16) => PixelSampleType.Int16,
            (2, 32) => PixelSampleType.Int32,
            (3, 16) => PixelSampleType.Float16,
            (3, 32) => PixelSampleType.Float32,
            (3, 64) => PixelSampleType.Float64,
            (5 or 6, _) => throw Problem(source, ImageProblem.UnsupportedFormat, directory.Index,
                FormattableString.Invariant($"complex samples (SampleFormat {format}, {depth} bits) are not an intensity image")),
            _ => throw Problem(source, ImageProblem.UnsupportedFormat, directory.Index,
                FormattableString.Invariant($"{depth}-bit samples of SampleFormat {format} are not read (8/16/32-bit integers, 16/32/64-bit floats are)")),
        };
    }

    private static TiffCompression CompressionOf(TiffDirectory directory, string source)
    {
        var code = directory.GetInteger(TiffTagId.Compression, 1);
        return code switch
        {
            1 => TiffCompression.None,
            5 => TiffCompression.Lzw,
            8 => TiffCompression.Deflate,
            32773 => TiffCompression.PackBits,
            32946 => TiffCompression.LegacyDeflate,
            _ => throw Problem(source, ImageProblem.UnsupportedFormat, directory.Index,
                FormattableString.Invariant($"compression {code} ({NameOf(code)}) is not read; none, LZW, Deflate and PackBits are")),
        };
    }

    private static string NameOf(long compression) => compression switch
    {
        6 or 7 => "JPEG",
        2 or 3 or 4 => "CCITT fax",
        34712 => "JPEG 2000",
        34925 => "LZMA",
        50000 => "Zstandard",
        50001 => "WebP",
        _ => "unknown",
    };

    private static ImageFileException Problem(string source, ImageProblem problem, int index, string what) =>
        new(source, problem, FormattableString.Invariant($"page {index}: {what}."));
}
