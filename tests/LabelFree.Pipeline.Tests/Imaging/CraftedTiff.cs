using System.Text;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Builds classic little-endian TIFF bytes tag by tag, so tests can state exactly what a file claims, including
/// things no sane writer produces (a zero width, a 100000 x 100000 image in a few bytes, complex samples).
/// Each page's pixel data is written first, then its directory; StripOffsets point at the data unless set.
/// </summary>
internal sealed class CraftedTiff
{
    private readonly List<(SortedDictionary<ushort, (ushort Type, byte[] Bytes, int Count)> Tags, byte[] Data)> _pages = [];

    /// <summary>A single-strip, single-sample page with the usual tags.</summary>
    public CraftedTiff AddPage(int width, int height, byte[] data, ushort bitsPerSample = 8, ushort sampleFormat = 1)
    {
        _pages.Add((new SortedDictionary<ushort, (ushort, byte[], int)>(), data));
        return Long(256, (uint)width).Long(257, (uint)height).Short(258, bitsPerSample).Short(259, 1).Short(262, 1)
            .Short(277, 1).Long(278, (uint)height).Long(279, (uint)data.Length).Short(339, sampleFormat);
    }

    public CraftedTiff Short(ushort tag, params ushort[] values) =>
        Set(tag, 3, values.SelectMany(BitConverter.GetBytes).ToArray(), values.Length);

    public CraftedTiff Long(ushort tag, params uint[] values) =>
        Set(tag, 4, values.SelectMany(BitConverter.GetBytes).ToArray(), values.Length);

    public CraftedTiff Rational(ushort tag, uint numerator, uint denominator) =>
        Set(tag, 5, [.. BitConverter.GetBytes(numerator), .. BitConverter.GetBytes(denominator)], 1);

    public CraftedTiff Text(ushort tag, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        return Set(tag, 2, bytes, bytes.Length);
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("II"u8);
        writer.Write((ushort)42);
        var nextPointer = stream.Position;
        writer.Write(0u);
        foreach (var (tags, data) in _pages)
        {
            var dataOffset = (uint)stream.Position;
            writer.Write(data);
            Pad(writer);
            if (tags.ContainsKey(322))
            {
                // A tiled page: its one tile's data is the page's data.
                tags.Remove(273);
                tags.Remove(278);
                tags.Remove(279);
                tags[324] = (4, BitConverter.GetBytes(dataOffset), 1);
                tags[325] = (4, BitConverter.GetBytes((uint)data.Length), 1);
            }
            else if (!tags.ContainsKey(273))
            {
                tags[273] = (4, BitConverter.GetBytes(dataOffset), 1);
            }

            var directory = (uint)stream.Position;
            Patch(writer, nextPointer, directory);
            var valuesStart = directory + 2 + (tags.Count * 12) + 4;
            var outOfLine = new MemoryStream();
            writer.Write((ushort)tags.Count);
            foreach (var (tag, (type, bytes, count)) in tags)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write((uint)count);
                if (bytes.Length <= 4)
                {
                    writer.Write(bytes);
                    writer.Write(new byte[4 - bytes.Length]);
                }
                else
                {
                    writer.Write((uint)(valuesStart + outOfLine.Length));
                    outOfLine.Write(bytes);
                    if (outOfLine.Length % 2 == 1)
                    {
                        outOfLine.WriteByte(0);
                    }
                }
            }

            nextPointer = stream.Position;
            writer.Write(0u);
            writer.Write(outOfLine.ToArray());
            Pad(writer);
        }

        writer.Flush();
        return stream.ToArray();
    }

    private CraftedTiff Set(ushort tag, ushort type, byte[] bytes, int count)
    {
        _pages[^1].Tags[tag] = (type, bytes, count);
        return this;
    }

    private static void Pad(BinaryWriter writer)
    {
        if (writer.BaseStream.Position % 2 == 1)
        {
            writer.Write((byte)0);
        }
    }

    private static void Patch(BinaryWriter writer, long position, uint value)
    {
        var here = writer.BaseStream.Position;
        writer.BaseStream.Position = position;
        writer.Write(value);
        writer.BaseStream.Position = here;
    }
}
