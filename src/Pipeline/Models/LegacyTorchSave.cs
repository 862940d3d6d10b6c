using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Reads torch.save's format before PyTorch 1.6 (0.4 to 1.5, pytorch_fnet release_1's era; today's
/// <c>_use_new_zipfile_serialization=False</c>): five pickles in a row (magic number, protocol version 1001,
/// system info, the object, the sorted storage keys), then each storage as an int64 element count and its raw
/// bytes. The object's pickle passes the same allow-list as the zip format's before anything is built, and
/// <see cref="PlainDataUnpickler"/> builds only plain data: no code from the file runs.
/// </summary>
internal static class LegacyTorchSave
{
    private const int ProtocolVersion = 1001;

    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The dictionary the file holds, with tensors; the caller owns (and must dispose) them.</summary>
    public static Hashtable Read(string path)
    {
        var bytes = ReadAll(path);
        try
        {
            var position = 0;
            if (!MagicNumber.Equals(PlainDataUnpickler.Load(bytes, position, out position)))
            {
                throw Unreadable(path, "it starts with a pickle but not with torch.save's magic number.");
            }

            if (PlainDataUnpickler.Load(bytes, position, out position) is not ProtocolVersion)
            {
                throw Unreadable(path, $"its torch.save protocol version is not {ProtocolVersion}.");
            }

            if (PlainDataUnpickler.Load(bytes, position, out position) is not Hashtable systemInfo || systemInfo["little_endian"] is not true)
            {
                throw Unreadable(path, "the tensors are stored big-endian (or the system info is missing); only little-endian is read.");
            }

            TorchSaveArchive.RequireOnlyAllowedGlobals(bytes.AsSpan(position), path, "the pickle");
            var content = PlainDataUnpickler.Load(bytes, position, out position) as Hashtable
                ?? throw new PyTorchImportException(path, PyTorchImportProblem.NotAStateDict, "the file holds no dictionary.");
            var keys = PlainDataUnpickler.Load(bytes, position, out position) as ArrayList
                ?? throw Unreadable(path, "the list of storage keys after the pickle is missing.");

            var references = new Dictionary<string, LegacyStorageReference>(StringComparer.Ordinal);
            CollectStorages(content, references);
            var storages = ReadStorages(bytes, position, keys, references, path);
            return (Hashtable)Resolve(content, storages)!;
        }
        catch (InvalidDataException error)
        {
            throw Unreadable(path, $"the legacy torch.save file is damaged or not plain data: {error.Message}.", error);
        }
    }

    private static byte[] ReadAll(string path)
    {
        var length = new FileInfo(path).Length;
        return length <= Array.MaxLength
            ? File.ReadAllBytes(path)
            : throw Unreadable(path, $"the file is {length} bytes; legacy files are read whole and must stay under 2 GB.");
    }

    // Storage keys in file order; each storage: int64 element count (as the pickle said), then count x element size bytes.
    private static Dictionary<string, byte[]> ReadStorages(byte[] bytes, int position, ArrayList keys,
        Dictionary<string, LegacyStorageReference> references, string path)
    {
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var item in keys)
        {
            var key = item as string ?? throw Unreadable(path, "a storage key is not a string.");
            if (!references.TryGetValue(key, out var reference))
            {
                throw Unreadable(path, $"storage {key} is in the file but no tensor uses it.");
            }

            if (position + 8 > bytes.Length)
            {
                throw Unreadable(path, $"the file ends before storage {key}.");
            }

            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position, 8));
            position += 8;
            if (count != reference.Count || reference.ByteCount > bytes.Length - position)
            {
                throw Unreadable(path, $"storage {key} holds {count} elements where the pickle says {reference.Count}, or the file ends inside it.");
            }

            storages[key] = bytes.AsSpan(position, (int)reference.ByteCount).ToArray();
            position += (int)reference.ByteCount;
        }

        var missing = references.Keys.Where(key => !storages.ContainsKey(key)).ToList();
        return missing.Count == 0
            ? storages
            : throw Unreadable(path, $"the tensors use storages the file does not hold: {NameList.Of(missing)}.");
    }

    private static void CollectStorages(object? value, Dictionary<string, LegacyStorageReference> references)
    {
        switch (value)
        {
            case LegacyTensorReference tensor:
                references[tensor.Storage.Key] = tensor.Storage;
                break;
            case Hashtable table:
                foreach (var item in table.Values)
                {
                    CollectStorages(item, references);
                }

                break;
            case IEnumerable items when value is not string and not byte[]:
                foreach (var item in items)
                {
                    CollectStorages(item, references);
                }

                break;
        }
    }

    // Replaces each placeholder by its tensor, keeping dicts as Hashtable, lists as ArrayList and tuples as object[].
    private static object? Resolve(object? value, Dictionary<string, byte[]> storages)
    {
        switch (value)
        {
            case LegacyTensorReference tensor:
                return TensorOf(tensor, storages[tensor.Storage.Key]);
            case Hashtable table:
                foreach (var key in table.Keys.Cast<object>().ToList())
                {
                    table[key] = Resolve(table[key], storages);
                }

                return table;
            case ArrayList list:
                for (var i = 0; i < list.Count; i++)
                {
                    list[i] = Resolve(list[i], storages);
                }

                return list;
            case object?[] tuple:
                return tuple.Select(item => Resolve(item, storages)).ToArray();
            default:
                return value;
        }
    }

    private static Tensor TensorOf(LegacyTensorReference reference, byte[] storage)
    {
        using var flat = empty([reference.Storage.Count], reference.Storage.DType);
        if (storage.Length > 0)
        {
            flat.bytes = storage;
        }

        using var view = flat.as_strided(reference.Size, reference.Stride, reference.Offset);
        return view.clone();
    }

    private static PyTorchImportException Unreadable(string path, string reason, Exception? inner = null) =>
        new(path, PyTorchImportProblem.Unreadable, reason, inner);
}
