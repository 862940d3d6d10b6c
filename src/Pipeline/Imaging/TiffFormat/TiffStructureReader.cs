namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// Walks a TIFF header and its chain of image file directories without decoding any pixels. This is where a file
/// that is not a TIFF, is cut short or has broken directory links is told apart, before LibTiff ever sees it.
/// </summary>
internal static class TiffStructureReader
{
    // IFDs in real files hold a few dozen entries; thousands mean the offset points into pixel data.
    private const long MaxEntriesPerDirectory = 4096;

    public static TiffStructure Read(Stream stream, string source)
    {
        var length = stream.Length;
        Span<byte> header = stackalloc byte[16];
        var available = (int)Math.Min(length, header.Length);
        stream.Position = 0;
        stream.ReadExactly(header[..available]);

        var littleEndian = available >= 2 && header[0] == (byte)'I' && header[1] == (byte)'I';
        var bigEndian = available >= 2 && header[0] == (byte)'M' && header[1] == (byte)'M';
        if (!littleEndian && !bigEndian)
        {
            throw new ImageFileException(source, ImageProblem.NotATiff, "the file does not start with a TIFF byte-order mark (II or MM).");
        }

        var reader = new TiffByteReader(stream, source, littleEndian);
        if (available < 4)
        {
            throw new ImageFileException(source, ImageProblem.Truncated, "the file ends inside the TIFF header.");
        }

        var version = reader.ReadUInt16(2);
        if (version is not (42 or 43))
        {
            throw new ImageFileException(source, ImageProblem.NotATiff,
                FormattableString.Invariant($"the TIFF version field is {version}, neither 42 (TIFF) nor 43 (BigTIFF)."));
        }

        var isBigTiff = version == 43;
        long firstDirectory;
        if (isBigTiff)
        {
            if (reader.ReadUInt16(4) != 8 || reader.ReadUInt16(6) != 0)
            {
                throw new ImageFileException(source, ImageProblem.Corrupt, "the BigTIFF header does not declare 8-byte offsets.");
            }

            firstDirectory = (long)reader.ReadUInt64(8);
        }
        else
        {
            firstDirectory = reader.ReadUInt32(4);
        }

        var directories = ReadChain(reader, firstDirectory, isBigTiff);
        return new TiffStructure(isBigTiff, littleEndian, directories, reader);
    }

    private static List<TiffDirectory> ReadChain(TiffByteReader reader, long first, bool isBigTiff)
    {
        var headerSize = isBigTiff ? 16 : 8;
        var directories = new List<TiffDirectory>();
        var visited = new HashSet<long>();
        var offset = first;
        while (offset != 0)
        {
            var index = directories.Count;
            if (offset < headerSize && offset >= 0)
            {
                throw new ImageFileException(reader.Source, ImageProblem.Corrupt,
                    FormattableString.Invariant($"IFD {index} offset {offset} points into the file header."));
            }

            if (offset < 0 || offset >= reader.Length)
            {
                throw new ImageFileException(reader.Source, ImageProblem.Truncated, FormattableString.Invariant(
                    $"IFD {index} is at byte {offset}, beyond the end of the file ({reader.Length} bytes)."));
            }

            if (!visited.Add(offset))
            {
                throw new ImageFileException(reader.Source, ImageProblem.Corrupt,
                    FormattableString.Invariant($"the IFD chain loops back to byte {offset} after {index} directories."));
            }

            var directory = ReadDirectory(reader, index, offset, isBigTiff, out var next);
            directories.Add(directory);
            offset = next;
        }

        return directories;
    }

    private static TiffDirectory ReadDirectory(TiffByteReader reader, int index, long offset, bool isBigTiff, out long next)
    {
        var countSize = isBigTiff ? 8 : 2;
        var entrySize = isBigTiff ? 20 : 12;
        var inlineSize = isBigTiff ? 8 : 4;
        var count = isBigTiff ? (long)reader.ReadUInt64(offset) : reader.ReadUInt16(offset);
        if (count is <= 0 or > MaxEntriesPerDirectory)
        {
            throw new ImageFileException(reader.Source, ImageProblem.Corrupt,
                FormattableString.Invariant($"IFD {index} at byte {offset} claims {count} entries: not a directory."));
        }

        var tableStart = offset + countSize;
        var tableBytes = count * entrySize + inlineSize;
        if (!reader.Contains(tableStart, tableBytes))
        {
            throw new ImageFileException(reader.Source, ImageProblem.Truncated, FormattableString.Invariant(
                $"IFD {index} at byte {offset} needs {tableBytes} bytes of entries but the file ends at {reader.Length}."));
        }

        var entries = new Dictionary<ushort, TiffTagEntry>();
        for (var i = 0; i < count; i++)
        {
            var position = tableStart + i * entrySize;
            var tag = reader.ReadUInt16(position);
            var fieldType = reader.ReadUInt16(position + 2);
            var valueCount = isBigTiff ? (long)reader.ReadUInt64(position + 4) : reader.ReadUInt32(position + 4);
            var valueField = position + (isBigTiff ? 12 : 8);
            var size = TiffTagEntry.SizeOf(fieldType);
            if (size == 0 || valueCount < 0)
            {
                continue; // The TIFF specification says readers skip field types they do not know.
            }

            var fitsInline = valueCount <= inlineSize / size;
            var valuePosition = fitsInline ? valueField : isBigTiff ? (long)reader.ReadUInt64(valueField) : reader.ReadUInt32(valueField);
            entries.TryAdd(tag, new TiffTagEntry(tag, fieldType, valueCount, valuePosition));
        }

        var nextField = tableStart + count * entrySize;
        next = isBigTiff ? (long)reader.ReadUInt64(nextField) : reader.ReadUInt32(nextField);
        return new TiffDirectory(index, offset, entries, reader);
    }
}
