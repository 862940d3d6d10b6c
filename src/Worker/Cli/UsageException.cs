namespace LabelFree.Worker.Cli;

/// <summary>An option value that parses but makes no sense (e.g. a negative count): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
