using System.Globalization;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// A tensor of a legacy torch.save pickle before its storage is read: torch._utils._rebuild_tensor_v2's
/// arguments (storage, storage offset, size, stride, ...). <see cref="LegacyTorchSave"/> replaces it by the tensor.
/// </summary>
internal sealed record LegacyTensorReference(LegacyStorageReference Storage, long Offset, long[] Size, long[] Stride)
{
    /// <exception cref="InvalidDataException">Arguments that are not a tensor's, or a view reaching outside its storage.</exception>
    public static LegacyTensorReference FromRebuildArguments(object?[] arguments, int at)
    {
        if (arguments.Length < 4 || arguments[0] is not LegacyStorageReference storage || arguments[1] is not (int or long)
            || arguments[2] is not object?[] size || arguments[3] is not object?[] stride || size.Length != stride.Length)
        {
            throw new InvalidDataException($"pickle byte {at}: _rebuild_tensor_v2 without (storage, offset, size, stride)");
        }

        var reference = new LegacyTensorReference(storage, Integer(arguments[1], at), size.Select(s => Integer(s, at)).ToArray(),
            stride.Select(s => Integer(s, at)).ToArray());
        reference.RequireInsideStorage(at);
        return reference;
    }

    // as_strided reads wherever offset and strides point: a crafted file must not make it read past the storage.
    private void RequireInsideStorage(int at)
    {
        if (Offset < 0 || Size.Any(s => s < 0) || Stride.Any(s => s < 0))
        {
            throw new InvalidDataException($"pickle byte {at}: a tensor with a negative offset, size or stride");
        }

        if (Size.Any(s => s == 0))
        {
            return;
        }

        long last;
        try
        {
            last = checked(Offset + Size.Zip(Stride, (s, stride) => checked((s - 1) * stride)).Sum());
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"pickle byte {at}: a tensor whose size and strides overflow");
        }

        if (last >= Storage.Count)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"pickle byte {at}: a tensor reaching element {last} of storage {Storage.Key}, which has {Storage.Count}"));
        }
    }

    private static long Integer(object? value, int at) => value switch
    {
        int small => small,
        long large => large,
        _ => throw new InvalidDataException($"pickle byte {at}: a tensor size, stride or offset that is not an integer"),
    };
}
