using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Text;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Interprets one pickle (protocol 2 to 4) of plain data: None, booleans, numbers, strings, bytes, tuples,
/// lists, dicts, OrderedDicts, and the tensors of a legacy torch.save file as <see cref="LegacyTensorReference"/>
/// placeholders. It is a stack machine that knows only these constructions: a global is a name
/// (<see cref="PickleGlobal"/>), never a Python object, and REDUCE builds only an OrderedDict or a tensor
/// placeholder, so nothing in a file can make it run code. Anything else is refused as invalid data.
/// Hand-written for that allow-list: a general unpickler builds whatever objects a file names, which is how a
/// checkpoint from an untrusted source runs code in Python.
/// </summary>
/// <remarks>
/// Objects are represented as TorchSharp.PyBridge represents the zip format's pickle, so both formats reach
/// <see cref="PyTorchWeights"/> alike: dict and OrderedDict as <see cref="Hashtable"/>, list as
/// <see cref="ArrayList"/>, tuple as object[], small integers as int, larger ones as long or BigInteger.
/// </remarks>
internal sealed class PlainDataUnpickler
{
    private const string OrderedDict = "collections.OrderedDict";
    private const string RebuildTensor = "torch._utils._rebuild_tensor_v2";

    private readonly byte[] _bytes;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private PlainDataUnpickler(byte[] bytes, int start)
    {
        _bytes = bytes;
        _position = start;
    }

    /// <summary>A global the pickle names: only a name, used as a storage type or a callable this interpreter knows.</summary>
    public sealed record PickleGlobal(string Name);

    /// <summary>Reads the pickle that starts at <paramref name="start"/>; <paramref name="end"/> is the byte after its STOP.</summary>
    /// <exception cref="InvalidDataException">An opcode or construction outside plain data, or a damaged pickle.</exception>
    public static object? Load(byte[] bytes, int start, out int end)
    {
        var unpickler = new PlainDataUnpickler(bytes, start);
        var result = unpickler.Run();
        end = unpickler._position;
        return result;
    }

    private object? Run()
    {
        while (true)
        {
            var at = _position;
            var opcode = ReadByte();
            switch (opcode)
            {
                case (byte)'.': // STOP
                    return _stack.Count == 1 && _marks.Count == 0
                        ? _stack[0]
                        : throw Invalid(at, $"STOP with {_stack.Count} values on the stack");
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > 4)
                    {
                        throw Invalid(at, $"pickle protocol {protocol} is not read (2 to 4 are)");
                    }

                    break;
                case 0x95: // FRAME: its contents are ordinary opcodes
                    Skip(8);
                    break;
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'N':
                    Push(null);
                    break;
                case 0x88:
                    Push(true);
                    break;
                case 0x89:
                    Push(false);
                    break;
                case (byte)'K': // BININT1
                    Push((int)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    Push((int)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case (byte)'J': // BININT
                    Push(BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case 0x8a: // LONG1
                    Push(Integer(Take(ReadByte())));
                    break;
                case 0x8b: // LONG4
                    Push(Integer(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)), at))));
                    break;
                case (byte)'G': // BINFLOAT, big-endian
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;
                case (byte)'X': // BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)), at))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(ReadByte())));
                    break;
                case (byte)'U': // SHORT_BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(Take(ReadByte())));
                    break;
                case (byte)'T': // BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)), at))));
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    Push(Take(ReadByte()).ToArray());
                    break;
                case (byte)'B': // BINBYTES
                    Push(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)), at)).ToArray());
                    break;
                case (byte)')':
                    Push(Array.Empty<object?>());
                    break;
                case 0x85 or 0x86 or 0x87: // TUPLE1, TUPLE2, TUPLE3
                    Push(PopMany(opcode - 0x84, at));
                    break;
                case (byte)'t': // TUPLE
                    Push(PopToMark(at));
                    break;
                case (byte)']':
                    Push(new ArrayList());
                    break;
                case (byte)'l': // LIST
                    Push(new ArrayList(PopToMark(at)));
                    break;
                case (byte)'}':
                    Push(new Hashtable());
                    break;
                case (byte)'d': // DICT
                    var dictionary = new Hashtable();
                    SetItems(dictionary, PopToMark(at), at);
                    Push(dictionary);
                    break;
                case (byte)'a': // APPEND
                    var item = Pop(at);
                    ListAt(Top(at), at).Add(item);
                    break;
                case (byte)'e': // APPENDS
                    var items = PopToMark(at);
                    ListAt(Top(at), at).AddRange(items);
                    break;
                case (byte)'s': // SETITEM
                    var value = Pop(at);
                    var key = Pop(at);
                    SetItems(DictionaryAt(Top(at), at), [key, value], at);
                    break;
                case (byte)'u': // SETITEMS
                    var pairs = PopToMark(at);
                    SetItems(DictionaryAt(Top(at), at), pairs, at);
                    break;
                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Top(at);
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Top(at);
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Top(at);
                    break;
                case (byte)'h': // BINGET
                    Push(Memo(ReadByte(), at));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), at));
                    break;
                case (byte)'c': // GLOBAL "module\nname\n"
                    var module = ReadLine(at);
                    Push(new PickleGlobal($"{module}.{ReadLine(at)}"));
                    break;
                case (byte)'R': // REDUCE
                    var arguments = Pop(at) as object?[] ?? throw Invalid(at, "REDUCE without an argument tuple");
                    Push(Reduce(Pop(at), arguments, at));
                    break;
                case (byte)'Q': // BINPERSID
                    Push(LegacyStorageReference.FromPersistentId(Pop(at), at));
                    break;
                case (byte)'b': // BUILD
                    var state = Pop(at);
                    Build(Top(at), state, at);
                    break;
                default:
                    throw Invalid(at, $"opcode 0x{opcode:x2} is not part of a plain-data pickle");
            }
        }
    }

    // The only calls a state dict or checkpoint needs; the allow-list check has already refused other globals.
    private static object Reduce(object? callable, object?[] arguments, int at)
    {
        var name = (callable as PickleGlobal)?.Name ?? throw Invalid(at, "REDUCE of something that is not a global");
        return name switch
        {
            OrderedDict when arguments.Length == 0 => new Hashtable(),
            RebuildTensor => LegacyTensorReference.FromRebuildArguments(arguments, at),
            _ => throw Invalid(at, $"a call of {name}, which plain data never needs"),
        };
    }

    // An OrderedDict from state_dict() carries its _metadata (per-module versions) as instance state: not data.
    private static void Build(object? target, object? state, int at)
    {
        if (target is Hashtable && state is Hashtable or null)
        {
            return;
        }

        throw Invalid(at, $"BUILD of a {target?.GetType().Name ?? "None"}, which plain data never needs");
    }

    private static void SetItems(Hashtable dictionary, object?[] pairs, int at)
    {
        if (pairs.Length % 2 != 0)
        {
            throw Invalid(at, "a dict with an odd number of keys and values");
        }

        for (var i = 0; i < pairs.Length; i += 2)
        {
            dictionary[pairs[i] ?? throw Invalid(at, "a dict key of None")] = pairs[i + 1];
        }
    }

    private static object Integer(ReadOnlySpan<byte> littleEndianTwosComplement)
    {
        var value = new BigInteger(littleEndianTwosComplement, isUnsigned: false, isBigEndian: false);
        return value >= int.MinValue && value <= int.MaxValue ? (int)value
            : value >= long.MinValue && value <= long.MaxValue ? (long)value
            : value;
    }

    private static ArrayList ListAt(object? value, int at) =>
        value as ArrayList ?? throw Invalid(at, $"APPEND to a {value?.GetType().Name ?? "None"}");

    private static Hashtable DictionaryAt(object? value, int at) =>
        value as Hashtable ?? throw Invalid(at, $"SETITEM on a {value?.GetType().Name ?? "None"}");

    private object? Memo(long index, int at) =>
        _memo.TryGetValue(index, out var value) ? value : throw Invalid(at, $"memo entry {index} was never stored");

    private void Push(object? value) => _stack.Add(value);

    private object? Top(int at) => _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0)
        ? _stack[^1]
        : throw Invalid(at, "the stack is empty");

    private object? Pop(int at)
    {
        var value = Top(at);
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count, int at)
    {
        var floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count - count < floor)
        {
            throw Invalid(at, "the stack holds fewer values than the opcode takes");
        }

        var values = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return values;
    }

    private object?[] PopToMark(int at)
    {
        if (_marks.Count == 0)
        {
            throw Invalid(at, "no MARK before the opcode");
        }

        var mark = _marks.Pop();
        var values = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return values;
    }

    private byte ReadByte() => Take(1)[0];

    private void Skip(int count) => Take(count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _bytes.Length)
        {
            throw Invalid(_position, "the pickle ends inside an opcode");
        }

        var span = _bytes.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private string ReadLine(int at)
    {
        var end = _bytes.AsSpan(_position).IndexOf((byte)'\n');
        if (end < 0)
        {
            throw Invalid(at, "the pickle ends inside a text argument");
        }

        var text = Encoding.UTF8.GetString(_bytes, _position, end);
        _position += end + 1;
        return text;
    }

    private int Length(int length, int at) => length >= 0 ? length : throw Invalid(at, "a negative length");

    private static InvalidDataException Invalid(int at, string what) => new($"pickle byte {at}: {what}");
}
