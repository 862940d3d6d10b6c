namespace LabelFree.Worker.Cli;

/// <summary>
/// Reports progress on the calling thread, in order. <see cref="Progress{T}"/> posts to the thread pool,
/// which shuffles console lines and can print after the command has finished.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
