using System.Buffers.Binary;
using System.Text;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// One image file directory (IFD) as found in the file: its entries, with typed accessors that read the values on
/// demand. Any value that points outside the file is reported as truncation; a value of the wrong kind as corruption.
/// </summary>
internal sealed class TiffDirectory
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IReadOnlyDictionary<ushort, TiffTagEntry> _entries;
    private readonly TiffByteReader _reader;

    public TiffDirectory(int index, long offset, IReadOnlyDictionary<ushort, TiffTagEntry> entries, TiffByteReader reader)
    {
        Index = index;
        Offset = offset;
        _entries = entries;
        _reader = reader;
    }

    /// <summary>Position of this directory in the IFD chain (0 = first page).</summary>
    public int Index { get; }

    /// <summary>File offset of this directory.</summary>
    public long Offset { get; }

    public bool Has(ushort tag) => _entries.ContainsKey(tag);

    /// <summary>The first value of an integer tag, or <paramref name="fallback"/> when the tag is absent.</summary>
    public long GetInteger(ushort tag, long fallback)
    {
        if (!_entries.TryGetValue(tag, out var entry))
        {
            return fallback;
        }

        if (entry.Count < 1)
        {
            throw Corrupt(FormattableString.Invariant($"tag {tag} has no value"));
        }

        return ReadIntegerAt(entry, 0);
    }

    /// <summary>
    /// The values of an integer tag (offsets, byte counts, bits per sample), at most <paramref name="maxCount"/> of
    /// them, or null when absent. Reading no more than the layout needs keeps a forged count from costing memory.
    /// </summary>
    public long[]? GetIntegers(ushort tag, long maxCount = 64)
    {
        if (!_entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        RequireInteger(entry);
        entry = entry with { Count = Math.Min(entry.Count, maxCount) };
        var bytes = ReadValueBytes(entry);
        var values = new long[entry.Count];
        var size = entry.ValueSize;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Decode(bytes.AsSpan(i * size, size), entry.FieldType);
        }

        return values;
    }

    /// <summary>A RATIONAL (or FLOAT/DOUBLE) tag as a number; null when absent or when the denominator is zero.</summary>
    public double? GetRational(ushort tag)
    {
        if (!_entries.TryGetValue(tag, out var entry) || entry.Count < 1)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[8];
        var size = entry.ValueSize;
        if (size == 0)
        {
            return null;
        }

        _reader.Read(entry.ValuePosition, bytes[..size], FormattableString.Invariant($"the value of tag {tag}"));
        var little = _reader.LittleEndian;
        switch (entry.FieldType)
        {
            case 5:
            {
                double numerator = little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
                double denominator = little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) : BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
                return denominator == 0 ? null : numerator / denominator;
            }

            case 10:
            {
                double numerator = little ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadInt32BigEndian(bytes);
                double denominator = little ? BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]) : BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
                return denominator == 0 ? null : numerator / denominator;
            }

            case 11:
                return little ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : BinaryPrimitives.ReadSingleBigEndian(bytes);
            case 12:
                return little ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes);
            default:
                return entry.FieldType is 1 or 3 or 4 or 16 ? ReadIntegerAt(entry, 0) : null;
        }
    }

    /// <summary>
    /// A text tag up to its first NUL. UTF-8 when the bytes are valid UTF-8 (tifffile, Bio-Formats), else Latin-1
    /// (old writers put 8-bit characters such as µ into ASCII fields).
    /// </summary>
    public string? GetString(ushort tag)
    {
        if (!_entries.TryGetValue(tag, out var entry) || entry.ValueSize != 1)
        {
            return null;
        }

        var bytes = ReadValueBytes(entry);
        var end = Array.IndexOf(bytes, (byte)0);
        var text = end < 0 ? bytes.AsSpan() : bytes.AsSpan(0, end);
        try
        {
            return StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(text);
        }
    }

    private long ReadIntegerAt(TiffTagEntry entry, long index)
    {
        RequireInteger(entry);
        Span<byte> bytes = stackalloc byte[8];
        var size = entry.ValueSize;
        _reader.Read(entry.ValuePosition + index * size, bytes[..size], FormattableString.Invariant($"the value of tag {entry.Tag}"));
        return Decode(bytes[..size], entry.FieldType);
    }

    private byte[] ReadValueBytes(TiffTagEntry entry)
    {
        var size = entry.ValueSize;
        // A count larger than the file cannot be real; refuse it before allocating anything that large.
        if (entry.Count > _reader.Length / Math.Max(1, size) || entry.Count * size > Array.MaxLength)
        {
            throw new ImageFileException(_reader.Source, ImageProblem.Truncated, FormattableString.Invariant(
                $"IFD {Index}: tag {entry.Tag} claims {entry.Count} values, more than the file ({_reader.Length} bytes) can hold."));
        }

        var bytes = new byte[entry.Count * size];
        _reader.Read(entry.ValuePosition, bytes, FormattableString.Invariant($"IFD {Index}: the values of tag {entry.Tag}"));
        return bytes;
    }

    private void RequireInteger(TiffTagEntry entry)
    {
        if (entry.FieldType is not (1 or 3 or 4 or 6 or 7 or 8 or 9 or 13 or 16 or 17 or 18))
        {
            throw Corrupt(FormattableString.Invariant($"tag {entry.Tag} should hold integers but has field type {entry.FieldType}"));
        }
    }

    private long Decode(ReadOnlySpan<byte> bytes, ushort fieldType)
    {
        var little = _reader.LittleEndian;
        return fieldType switch
        {
            1 or 7 => bytes[0],
            6 => (sbyte)bytes[0],
            3 => little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes),
            8 => little ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadInt16BigEndian(bytes),
            4 or 13 => little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes),
            9 => little ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadInt32BigEndian(bytes),
            // Values above long.MaxValue cannot be valid offsets or sizes; they surface as negative and fail the range checks.
            _ => little ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : BinaryPrimitives.ReadInt64BigEndian(bytes),
        };
    }

    private ImageFileException Corrupt(string what) =>
        new(_reader.Source, ImageProblem.Corrupt, FormattableString.Invariant($"IFD {Index}: {what}."));
}
