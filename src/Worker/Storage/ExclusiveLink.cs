using System.ComponentModel;
using System.Runtime.InteropServices;

namespace LabelFree.Worker.Storage;

/// <summary>
/// Gives a finished file a second name only if that name is free, atomically (POSIX link(2)): the
/// local store's create-if-absent, where a check-then-rename would let two writers both win.
/// </summary>
internal static partial class ExclusiveLink
{
    private const int FileExists = 17; // EEXIST

    /// <returns>False when <paramref name="name"/> already exists.</returns>
    public static bool TryCreate(string existingFile, string name)
    {
        if (link(existingFile, name) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == FileExists
            ? false
            : throw new IOException($"Could not create {name}: {new Win32Exception(error).Message}.");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string name);
}
