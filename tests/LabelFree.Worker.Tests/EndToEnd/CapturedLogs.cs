using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// A logger provider that keeps every entry a worker logs, for tests that check what an operator reads in the
/// log. Add it to a built host's ILoggerFactory; the host's level filters apply to it as to the console.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
        }
    }
}
