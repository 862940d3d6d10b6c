using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Reads the object inside a torch.save file without ever running code from it: the zip format of PyTorch 1.6+
/// here, the legacy format of PyTorch 0.4 to 1.5 through <see cref="LegacyTorchSave"/>. Both pass one allow-list.
/// </summary>
/// <remarks>
/// A pickle can name any Python callable and ask the loader to call it (os.system, builtins.eval...).
/// The unpickler underneath (Razorvine.Pickle via TorchSharp.PyBridge) is a C# interpreter with no Python
/// to call, but it turns an unknown global into a placeholder object or a confusing exception. So the
/// pickle's opcodes are first walked to list every global it names, and the file is refused, naming the
/// globals, unless all of them are the few a state dict or pytorch_fnet checkpoint needs.
/// </remarks>
internal static class TorchSaveArchive
{
    private const int MaxPickleBytes = 64 * 1024 * 1024;

    private static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch.DoubleStorage",
        "torch.FloatStorage",
        "torch.HalfStorage",
        "torch.BFloat16Storage",
        "torch.LongStorage",
        "torch.IntStorage",
        "torch.ShortStorage",
        "torch.CharStorage",
        "torch.ByteStorage",
        "torch.BoolStorage",
    };

    /// <summary>The dictionary the file holds. Its tensors belong to the caller, who must dispose them.</summary>
    public static Hashtable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.FileNotFound, "the file does not exist.");
        }

        using var stream = File.OpenRead(path);
        if (IsLegacyFormat(stream, path))
        {
            return LegacyTorchSave.Read(path);
        }

        var pickle = ReadPickle(stream, path);
        RequireOnlyAllowedGlobals(pickle, path, "data.pkl");

        stream.Position = 0;
        object loaded;
        try
        {
            loaded = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception error) when (error is Razorvine.Pickle.PickleException or InvalidCastException or InvalidOperationException
                                          or NotImplementedException or ArgumentException or IOException or InvalidDataException
                                          or IndexOutOfRangeException or NullReferenceException)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable, $"the pickle could not be loaded: {error.Message}", error);
        }

        return loaded as Hashtable ?? throw new PyTorchImportException(
            path, PyTorchImportProblem.NotAStateDict, $"the file holds a {loaded.GetType().Name}, not a dictionary.");
    }

    // A zip archive (PK\x03\x04) is the current format; a bare pickle stream (PROTO opcode 0x80) the legacy one.
    private static bool IsLegacyFormat(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[4];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            return false;
        }

        return read > 0 && head[0] == 0x80
            ? true
            : throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable,
                "the file is not a torch.save file (neither a zip archive nor a pickle stream).");
    }

    private static byte[] ReadPickle(Stream stream, string path)
    {
        try
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);

            // torch.save writes <name>/data.pkl beside <name>/data/<storage key> files. TorchSharp.PyBridge loads an
            // entry found by the end of its name, not necessarily the one checked here, so an archive with any second
            // entry whose name ends in data.pkl (a/b/data.pkl, xdata.pkl) is refused: the one checked is the one loaded.
            var pickles = archive.Entries.Where(entry => entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1 || !pickles[0].FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || pickles[0].FullName.Count(c => c == '/') != 1)
            {
                throw new PyTorchImportException(path, pickles.Count == 0 ? PyTorchImportProblem.Unreadable : PyTorchImportProblem.UnsafeContent, FormattableString.Invariant(
                    $"a torch.save archive has exactly one entry named like data.pkl, <name>/data.pkl; this one has {pickles.Count} ({string.Join(", ", pickles.Take(5).Select(p => p.FullName))}). Nothing from the file was loaded."));
            }

            var byteOrder = archive.Entries.FirstOrDefault(entry => entry.FullName.EndsWith("/byteorder", StringComparison.Ordinal));
            if (byteOrder is not null)
            {
                using var reader = new StreamReader(byteOrder.Open());
                var order = reader.ReadToEnd().Trim();
                if (order != "little")
                {
                    throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable, $"the tensors are stored {order}-endian; only little-endian is read.");
                }
            }

            if (pickles[0].Length > MaxPickleBytes)
            {
                throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable,
                    $"data.pkl is {pickles[0].Length} bytes; a state dict's is far smaller (limit {MaxPickleBytes}).");
            }

            using var pickleStream = pickles[0].Open();
            using var buffer = new MemoryStream();
            pickleStream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException error)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable, $"the zip archive is damaged: {error.Message}", error);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>Refuses the file, naming them, when the pickle names any global outside the allow-list.</summary>
    /// <param name="what">The pickle, as the refusal names it (data.pkl, or the pickle of a legacy file).</param>
    internal static void RequireOnlyAllowedGlobals(ReadOnlySpan<byte> pickle, string path, string what)
    {
        IReadOnlyList<string> globals;
        try
        {
            globals = PickleGlobals.Referenced(pickle);
        }
        catch (InvalidDataException error)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.Unreadable, $"{what} cannot be checked: {error.Message}", error);
        }

        var refused = globals.Where(name => !AllowedGlobals.Contains(name)).Distinct(StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.UnsafeContent,
                $"the pickle references Python objects that are not tensors or plain data: {string.Join(", ", refused)}. " +
                "Nothing from the file was loaded or executed. Save only the state dict (torch.save(net.state_dict(), path)) " +
                "or a pytorch_fnet checkpoint of plain values.");
        }
    }
}
