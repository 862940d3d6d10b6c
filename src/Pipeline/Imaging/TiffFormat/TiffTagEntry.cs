namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>One entry of an image file directory: which tag, its field type, how many values and where they are.</summary>
/// <param name="ValuePosition">Absolute file position of the first value (inside the entry when the values fit there).</param>
internal readonly record struct TiffTagEntry(ushort Tag, ushort FieldType, long Count, long ValuePosition)
{
    /// <summary>Bytes per value of each TIFF field type (0 for types this reader does not know).</summary>
    public static int SizeOf(ushort fieldType) => fieldType switch
    {
        1 or 2 or 6 or 7 => 1, // BYTE, ASCII, SBYTE, UNDEFINED
        3 or 8 => 2, // SHORT, SSHORT
        4 or 9 or 11 or 13 => 4, // LONG, SLONG, FLOAT, IFD
        5 or 10 or 12 or 16 or 17 or 18 => 8, // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
        _ => 0,
    };

    public int ValueSize => SizeOf(FieldType);
}
