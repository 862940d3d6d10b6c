namespace LabelFree.Worker.Cli;

/// <summary>A compute level's own benchmark process gave no figures; the message says why.</summary>
internal sealed class LevelProcessException(string message) : Exception(message);
