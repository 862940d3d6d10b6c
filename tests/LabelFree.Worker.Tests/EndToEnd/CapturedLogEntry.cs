using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>One log entry as the worker wrote it.</summary>
internal sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
