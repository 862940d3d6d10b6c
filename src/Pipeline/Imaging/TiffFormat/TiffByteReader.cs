using System.Buffers.Binary;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// Reads numbers at absolute positions of a TIFF file in the file's byte order. Every read is checked against the
/// file length first, so a pointer past the end becomes <see cref="ImageProblem.Truncated"/> instead of garbage.
/// </summary>
internal sealed class TiffByteReader
{
    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[8];

    public TiffByteReader(Stream stream, string source, bool littleEndian)
    {
        _stream = stream;
        Source = source;
        LittleEndian = littleEndian;
        Length = stream.Length;
    }

    public string Source { get; }

    public bool LittleEndian { get; }

    public long Length { get; }

    public ushort ReadUInt16(long position)
    {
        Read(position, _scratch.AsSpan(0, 2), "a 2-byte value");
        return LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(_scratch) : BinaryPrimitives.ReadUInt16BigEndian(_scratch);
    }

    public uint ReadUInt32(long position)
    {
        Read(position, _scratch.AsSpan(0, 4), "a 4-byte value");
        return LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(_scratch) : BinaryPrimitives.ReadUInt32BigEndian(_scratch);
    }

    public ulong ReadUInt64(long position)
    {
        Read(position, _scratch.AsSpan(0, 8), "an 8-byte value");
        return LittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(_scratch) : BinaryPrimitives.ReadUInt64BigEndian(_scratch);
    }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="position"/>.</summary>
    public void Read(long position, Span<byte> destination, string what)
    {
        if (position < 0 || position > Length - destination.Length)
        {
            throw new ImageFileException(Source, ImageProblem.Truncated, FormattableString.Invariant(
                $"{what} at byte {position} (+{destination.Length}) lies beyond the end of the file ({Length} bytes)."));
        }

        _stream.Position = position;
        _stream.ReadExactly(destination);
    }

    /// <summary>True when <paramref name="count"/> bytes starting at <paramref name="position"/> lie inside the file.</summary>
    public bool Contains(long position, long count) => position >= 0 && count >= 0 && position <= Length - count;
}
