using BitMiracle.LibTiff.Classic;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// Decodes one page into a float32 plane. Each page is decoded into one byte buffer (strip by strip or tile by tile)
/// and converted with spans. Uncompressed chunks are read straight from the stream; compressed ones go through
/// LibTiff.NET, which decompresses, undoes the predictor and returns samples in native byte order.
/// </summary>
internal sealed class TiffPlaneDecoder : IDisposable
{
    private readonly Stream _stream;
    private readonly TiffByteReader _reader;
    private readonly string _source;
    private readonly bool _swapRawBytes;
    private LibTiffMessages? _messages;
    private Tiff? _tiff;
    private long? _currentDirectory;
    private byte[] _pageBuffer = [];
    private byte[] _tileBuffer = [];

    public TiffPlaneDecoder(Stream stream, TiffStructure structure, string source)
    {
        _stream = stream;
        _reader = structure.Reader;
        _source = source;
        _swapRawBytes = structure.IsLittleEndian != BitConverter.IsLittleEndian;
    }

    /// <summary>Decodes sample <paramref name="sample"/> of <paramref name="page"/> into <paramref name="plane"/> (Y * X floats).</summary>
    public void Decode(TiffPage page, int sample, Span<float> plane)
    {
        var pageBytes = (int)page.PageBufferBytes;
        if (_pageBuffer.Length < pageBytes)
        {
            _pageBuffer = new byte[pageBytes];
        }

        var firstChunk = page.PlanarSeparate ? (int)(sample * page.ChunksPerSamplePlane) : 0;
        if (page.IsTiled)
        {
            DecodeTiles(page, firstChunk);
        }
        else
        {
            DecodeStrips(page, firstChunk);
        }

        var data = _pageBuffer.AsSpan(0, pageBytes);
        if (page.Compression == TiffCompression.None && _swapRawBytes)
        {
            SampleConverter.SwapByteOrder(data, page.BytesPerSample);
        }

        SampleConverter.ToFloat(data, page.SampleType, page.SamplesPerChunkPixel, page.PlanarSeparate ? 0 : sample, plane);
    }

    public void Dispose()
    {
        _tiff?.Dispose();
        _messages?.Dispose();
    }

    private void DecodeStrips(TiffPage page, int firstChunk)
    {
        long position = 0;
        for (var strip = 0; strip < page.ChunksDown; strip++)
        {
            var bytes = (int)page.DecodedChunkBytes(strip);
            ReadChunk(page, firstChunk + strip, _pageBuffer, (int)position, bytes);
            position += bytes;
        }
    }

    private void DecodeTiles(TiffPage page, int firstChunk)
    {
        var tileRowBytes = (int)page.ChunkRowBytes;
        var tileBytes = tileRowBytes * page.ChunkHeight;
        if (_tileBuffer.Length < tileBytes)
        {
            _tileBuffer = new byte[tileBytes];
        }

        var pixelBytes = page.SamplesPerChunkPixel * page.BytesPerSample;
        var rowBytes = (int)page.RowBytes;
        for (var down = 0; down < page.ChunksDown; down++)
        {
            for (var across = 0; across < page.ChunksAcross; across++)
            {
                ReadChunk(page, firstChunk + down * page.ChunksAcross + across, _tileBuffer, 0, tileBytes);
                var x0 = across * page.ChunkWidth;
                var y0 = down * page.ChunkHeight;
                var copyBytes = Math.Min(page.ChunkWidth, page.Width - x0) * pixelBytes;
                var rows = Math.Min(page.ChunkHeight, page.Height - y0);
                for (var r = 0; r < rows; r++)
                {
                    _tileBuffer.AsSpan(r * tileRowBytes, copyBytes)
                        .CopyTo(_pageBuffer.AsSpan(((y0 + r) * rowBytes) + (x0 * pixelBytes), copyBytes));
                }
            }
        }
    }

    private void ReadChunk(TiffPage page, int chunk, byte[] buffer, int offset, int bytes)
    {
        if (page.Compression == TiffCompression.None)
        {
            _reader.Read(page.ChunkOffsets[chunk], buffer.AsSpan(offset, bytes),
                FormattableString.Invariant($"page {page.Index}: strip or tile {chunk}"));
            return;
        }

        var tiff = SelectDirectory(page);
        int decoded;
        try
        {
            decoded = page.IsTiled
                ? tiff.ReadEncodedTile(chunk, buffer, offset, bytes)
                : tiff.ReadEncodedStrip(chunk, buffer, offset, bytes);
        }
        catch (Exception ex) when (ex is not ImageFileException and not OutOfMemoryException)
        {
            // LibTiff.NET throws index and cast exceptions on some garbage streams; to the caller that is a corrupt file.
            throw new ImageFileException(_source, ImageProblem.Corrupt,
                FormattableString.Invariant($"page {page.Index}: {page.Compression} data of chunk {chunk} cannot be decoded ({ex.Message}); {_messages!.Summary()}."), ex);
        }

        if (decoded != bytes)
        {
            throw new ImageFileException(_source, ImageProblem.Corrupt, FormattableString.Invariant(
                $"page {page.Index}: {page.Compression} data of chunk {chunk} decoded to {decoded} bytes instead of {bytes}; {_messages!.Summary()}."));
        }
    }

    private Tiff SelectDirectory(TiffPage page)
    {
        if (_tiff is null)
        {
            _messages = LibTiffMessages.Capture();
            _stream.Position = 0;
            // "h": read the header only; we point LibTiff at each directory by its offset, which our own walk found.
            _tiff = Tiff.ClientOpen(_source, "rh", _stream, new UnclosingTiffStream())
                ?? throw new ImageFileException(_source, ImageProblem.Corrupt, $"LibTiff cannot open the file; {_messages.Summary()}.");
        }

        if (_currentDirectory != page.DirectoryOffset)
        {
            var offset = page.DirectoryOffset ?? throw new InvalidOperationException("Compressed pages always have a directory.");
            bool selected;
            try
            {
                selected = _tiff.SetSubDirectory(offset);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ImageFileException(_source, ImageProblem.Corrupt,
                    FormattableString.Invariant($"page {page.Index}: LibTiff cannot read the directory ({ex.Message}); {_messages!.Summary()}."), ex);
            }

            if (!selected)
            {
                throw new ImageFileException(_source, ImageProblem.Corrupt,
                    FormattableString.Invariant($"page {page.Index}: LibTiff cannot read the directory; {_messages!.Summary()}."));
            }

            _currentDirectory = offset;
        }

        return _tiff;
    }
}
