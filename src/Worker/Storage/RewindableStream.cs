namespace LabelFree.Worker.Storage;

/// <summary>
/// The rule both stores apply to the streams they transfer: a retried transfer starts over from where the stream
/// stood, so the stream must be seekable. Checked up front, before the first attempt, with the same message in
/// either store.
/// </summary>
public static class RewindableStream
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> when <paramref name="stream"/> cannot seek.</summary>
    public static void Require(Stream stream, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable so a retried transfer can start over.", parameterName);
        }
    }
}
