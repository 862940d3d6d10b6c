using Microsoft.Extensions.Logging;

namespace LabelFree.Worker.Hosting;

/// <summary>Log messages about storage; the fault's type only, since SDK messages can be long and carry request details.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Storage {Operation} attempt {Attempt} failed transiently ({Fault}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, TimeSpan delay, string fault);
}
