using System.Buffers.Binary;
using System.Text;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Lists the Python globals (module.name) a pickle references, by walking its opcodes without
/// building any object. A pickle can only reach code through a global (GLOBAL, INST, STACK_GLOBAL or
/// the extension registry), so checking this list against an allow-list before unpickling decides
/// whether a file is plain data.
/// </summary>
internal static class PickleGlobals
{
    /// <summary>Stands for a STACK_GLOBAL opcode (protocol 4+), whose name is only known when the pickle runs.</summary>
    public const string UncheckableStackGlobal = "<a STACK_GLOBAL (pickle protocol 4+) whose name cannot be checked before loading>";

    /// <summary>Stands for an EXT1/EXT2/EXT4 opcode (copyreg extension registry).</summary>
    public const string UncheckableExtension = "<a copyreg extension code, which cannot be checked before loading>";

    /// <summary>Every global the pickle names, in order of appearance; uncheckable references appear as the descriptions above.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a pickle this walker understands.</exception>
    public static IReadOnlyList<string> Referenced(ReadOnlySpan<byte> pickle)
    {
        var globals = new List<string>();
        var position = 0;
        while (position < pickle.Length)
        {
            var opcode = pickle[position++];
            switch (opcode)
            {
                case (byte)'.': // STOP
                    return globals;

                // Opcodes without an argument.
                case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or 0x88 or 0x89
                    or (byte)'a' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'d' or (byte)'}'
                    or (byte)'s' or (byte)'u' or (byte)'t' or (byte)')' or 0x85 or 0x86 or 0x87
                    or (byte)'R' or (byte)'b' or (byte)'o' or 0x81 or 0x92 or 0x94 or 0x8f or 0x90
                    or 0x91 or (byte)'Q' or 0x97 or 0x98:
                    break;

                // Fixed-size arguments.
                case (byte)'K' or (byte)'q' or (byte)'h' or 0x80: // BININT1, BINPUT, BINGET, PROTO
                    position += 1;
                    break;
                case (byte)'M': // BININT2
                    position += 2;
                    break;
                case (byte)'J' or (byte)'r' or (byte)'j': // BININT, LONG_BINPUT, LONG_BINGET
                    position += 4;
                    break;
                case (byte)'G' or 0x95: // BINFLOAT, FRAME (its contents are ordinary opcodes)
                    position += 8;
                    break;

                // Length-prefixed arguments.
                case 0x8a or (byte)'U' or (byte)'C' or 0x8c: // LONG1, SHORT_BINSTRING, SHORT_BINBYTES, SHORT_BINUNICODE
                    position += 1 + Byte(pickle, position);
                    break;
                case 0x8b or (byte)'T' or (byte)'X' or (byte)'B': // LONG4, BINSTRING, BINUNICODE, BINBYTES
                    position += 4 + Length(UInt32(pickle, position), pickle);
                    break;
                case 0x8d or 0x8e or 0x96: // BINUNICODE8, BINBYTES8, BYTEARRAY8
                    position += 8 + Length(UInt64(pickle, position), pickle);
                    break;

                // Newline-terminated text arguments.
                case (byte)'I' or (byte)'L' or (byte)'F' or (byte)'S' or (byte)'V' or (byte)'g' or (byte)'p' or (byte)'P':
                    position = AfterLine(pickle, position, out _);
                    break;
                case (byte)'c' or (byte)'i': // GLOBAL, INST: "module\nname\n"
                    position = AfterLine(pickle, position, out var module);
                    position = AfterLine(pickle, position, out var name);
                    globals.Add($"{module}.{name}");
                    break;

                // The name of these comes from the stack or the extension registry: it cannot be read
                // without running the pickle, so they are listed by a description no allow-list contains.
                case 0x93:
                    globals.Add(UncheckableStackGlobal);
                    break;
                case 0x82:
                    globals.Add(UncheckableExtension);
                    position += 1;
                    break;
                case 0x83:
                    globals.Add(UncheckableExtension);
                    position += 2;
                    break;
                case 0x84:
                    globals.Add(UncheckableExtension);
                    position += 4;
                    break;

                default:
                    throw new InvalidDataException($"unknown pickle opcode 0x{opcode:x2} at byte {position - 1}");
            }

            if (position > pickle.Length)
            {
                throw new InvalidDataException("the pickle ends inside an opcode's argument");
            }
        }

        throw new InvalidDataException("the pickle has no STOP opcode");
    }

    private static int Length(ulong length, ReadOnlySpan<byte> pickle) =>
        length <= (ulong)pickle.Length ? (int)length : throw new InvalidDataException("an opcode's argument is longer than the pickle");

    private static int Byte(ReadOnlySpan<byte> pickle, int position) =>
        position < pickle.Length ? pickle[position] : throw new InvalidDataException("the pickle ends inside an opcode's argument");

    private static uint UInt32(ReadOnlySpan<byte> pickle, int position) =>
        position + 4 <= pickle.Length
            ? BinaryPrimitives.ReadUInt32LittleEndian(pickle[position..])
            : throw new InvalidDataException("the pickle ends inside an opcode's argument");

    private static ulong UInt64(ReadOnlySpan<byte> pickle, int position) =>
        position + 8 <= pickle.Length
            ? BinaryPrimitives.ReadUInt64LittleEndian(pickle[position..])
            : throw new InvalidDataException("the pickle ends inside an opcode's argument");

    private static int AfterLine(ReadOnlySpan<byte> pickle, int position, out string text)
    {
        var end = pickle[position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new InvalidDataException("the pickle ends inside a text argument");
        }

        text = Encoding.UTF8.GetString(pickle.Slice(position, end));
        return position + end + 1;
    }
}
