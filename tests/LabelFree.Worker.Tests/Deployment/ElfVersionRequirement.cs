using System.Buffers.Binary;
using System.Text;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// One symbol-version requirement of a 64-bit little-endian ELF shared library (what `readelf -V`
/// lists under .gnu.version_r): the library that must provide it, the version name, and whether it
/// is weak (VER_FLG_WEAK: the loader only warns when the version is missing).
/// </summary>
public sealed record ElfVersionRequirement(string Library, string Version, bool Weak)
{
    private const uint VersionNeedSection = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;               // VER_FLG_WEAK

    public static IReadOnlyList<ElfVersionRequirement> Read(string path)
    {
        var elf = File.ReadAllBytes(path).AsSpan();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var requirements = new List<ElfVersionRequirement>();
        for (var i = 0; i < count; i++)
        {
            var header = elf[(sectionTable + (i * entrySize))..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VersionNeedSection)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]));
            var linkedStrings = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[(sectionTable + (linkedStrings * entrySize) + 24)..]));
            ReadNeeds(elf, offset, strings, requirements);
        }

        return requirements;
    }

    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
    private static void ReadNeeds(ReadOnlySpan<byte> elf, int need, int strings, List<ElfVersionRequirement> requirements)
    {
        while (true)
        {
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
            var library = Name(elf, strings, BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
            var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
            for (var k = 0; k < auxCount; k++)
            {
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                var version = Name(elf, strings, BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                requirements.Add(new ElfVersionRequirement(library, version, (flags & WeakFlag) != 0));
                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
            }

            var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            if (next == 0)
            {
                return;
            }

            need += next;
        }
    }

    private static string Name(ReadOnlySpan<byte> elf, int strings, uint offset)
    {
        var start = elf[(strings + (int)offset)..];
        return Encoding.ASCII.GetString(start[..start.IndexOf((byte)0)]);
    }
}
