using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// A storage that a legacy torch.save pickle refers to by persistent id: ('storage', torch.FloatStorage, key,
/// location, element count, view metadata). Its bytes follow the pickle in the file, found by key.
/// </summary>
internal sealed record LegacyStorageReference(string Key, ScalarType DType, int ElementSize, long Count)
{
    private static readonly Dictionary<string, (ScalarType DType, int Size)> StorageTypes = new(StringComparer.Ordinal)
    {
        ["torch.DoubleStorage"] = (ScalarType.Float64, 8),
        ["torch.FloatStorage"] = (ScalarType.Float32, 4),
        ["torch.HalfStorage"] = (ScalarType.Float16, 2),
        ["torch.BFloat16Storage"] = (ScalarType.BFloat16, 2),
        ["torch.LongStorage"] = (ScalarType.Int64, 8),
        ["torch.IntStorage"] = (ScalarType.Int32, 4),
        ["torch.ShortStorage"] = (ScalarType.Int16, 2),
        ["torch.CharStorage"] = (ScalarType.Int8, 1),
        ["torch.ByteStorage"] = (ScalarType.Byte, 1),
        ["torch.BoolStorage"] = (ScalarType.Bool, 1),
    };

    public long ByteCount => Count * ElementSize;

    /// <exception cref="InvalidDataException">Not a storage persistent id, or one this reader does not handle.</exception>
    public static LegacyStorageReference FromPersistentId(object? persistentId, int at)
    {
        if (persistentId is not object?[] { Length: 5 or 6 } id || id[0] as string != "storage")
        {
            throw new InvalidDataException($"pickle byte {at}: a persistent id that is not a ('storage', ...) tuple");
        }

        var typeName = (id[1] as PlainDataUnpickler.PickleGlobal)?.Name ?? string.Empty;
        if (!StorageTypes.TryGetValue(typeName, out var type))
        {
            throw new InvalidDataException($"pickle byte {at}: storage type {typeName} is not read");
        }

        if (id[2] is not string key || id[4] is not (int or long) || Convert.ToInt64(id[4], System.Globalization.CultureInfo.InvariantCulture) < 0)
        {
            throw new InvalidDataException($"pickle byte {at}: a storage id without a key and an element count");
        }

        // A view of a larger storage (view metadata) only came from storages shared across tensors of other shapes.
        if (id.Length == 6 && id[5] is not null)
        {
            throw new InvalidDataException($"pickle byte {at}: storage {key} is a view of another storage, which is not read");
        }

        return new LegacyStorageReference(key, type.DType, type.Size, Convert.ToInt64(id[4], System.Globalization.CultureInfo.InvariantCulture));
    }
}
