namespace LabelFree.Worker.Consumers;

/// <summary>A configured structure model could not be loaded at start; the worker does not start.</summary>
public sealed class ModelLoadException(string message, Exception? innerException) : Exception(message, innerException);
