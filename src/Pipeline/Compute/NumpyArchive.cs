using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// The numpy file formats LabelFree needs: reads an uncompressed or deflated .npz (numpy.savez: a zip of .npy
/// files) holding little-endian, C-ordered float32 and int64 arrays (the known answers), reads and writes a single
/// float32 .npy (bioimage.io test tensors). Not a general numpy reader: anything else is refused with the array's name.
/// </summary>
public static class NumpyArchive
{
    public static IReadOnlyDictionary<string, NumpyArray> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var arrays = new Dictionary<string, NumpyArray>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
            {
                continue;
            }

            var name = entry.FullName[..^4];
            using var content = entry.Open();
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            arrays[name] = Parse(buffer.ToArray(), name);
        }

        return arrays;
    }

    /// <summary>Reads one .npy file.</summary>
    /// <exception cref="InvalidDataException">Not a little-endian, C-ordered float32 or int64 .npy file.</exception>
    public static NumpyArray ReadNpy(string path) => Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>Writes a float32 array as a .npy file (format 1.0, little-endian, C order), as numpy.save does.</summary>
    public static void WriteNpy(string path, IReadOnlyList<long> shape, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Aggregate(1L, (product, size) => product * size) != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        }

        var dimensions = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dimensions}), }}";
        // The magic (6), version (2), length (2) and header end on a multiple of 64 bytes, with a newline last.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, .. "NUMPY"u8, 1, 0]);
        file.Write(BitConverter.GetBytes((ushort)padded.Length));
        file.Write(Encoding.ASCII.GetBytes(padded));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    // .npy: "\x93NUMPY", major, minor, header length (2 bytes in 1.0, 4 in 2.0+), a Python dict literal, data.
    private static NumpyArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"Array {name} is not a .npy file.");
        }

        var major = bytes[6];
        var headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        var headerStart = major == 1 ? 10 : 12;
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var dataStart = headerStart + headerLength;
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Array {name} is stored in Fortran order.");
        }

        var shape = ShapeOf(header, name);
        var count = shape.Aggregate(1L, (product, size) => product * size);
        var descr = ValueOf(header, "descr", name);
        return descr switch
        {
            "<f4" => new NumpyArray(shape, Values<float>(bytes, dataStart, count, name), null),
            "<i8" => new NumpyArray(shape, null, Values<long>(bytes, dataStart, count, name)),
            _ => throw new InvalidDataException($"Array {name} has dtype {descr}; only <f4 and <i8 are read."),
        };
    }

    private static T[] Values<T>(byte[] bytes, int start, long count, string name)
        where T : unmanaged
    {
        var size = System.Runtime.InteropServices.Marshal.SizeOf<T>();
        if (start + count * size > bytes.Length)
        {
            throw new InvalidDataException($"Array {name} is truncated.");
        }

        var values = new T[count];
        Buffer.BlockCopy(bytes, start, values, 0, (int)(count * size));
        return values;
    }

    private static long[] ShapeOf(string header, string name)
    {
        var inner = ValueOf(header, "shape", name).Trim('(', ')');
        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(size => long.Parse(size, CultureInfo.InvariantCulture))
            .ToArray();
    }

    private static string ValueOf(string header, string key, string name)
    {
        var marker = $"'{key}': ";
        var start = header.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidDataException($"Array {name}: its header has no {key}.");
        }

        start += marker.Length;
        if (header[start] == '(')
        {
            return header[start..(header.IndexOf(')', start) + 1)];
        }

        var end = header.IndexOfAny([',', '}'], start);
        return header[start..end].Trim().Trim('\'');
    }
}
