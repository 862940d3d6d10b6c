namespace LabelFree.Pipeline.Registration;

/// <summary>OpenCV's native library (libOpenCvSharpExtern.so) or one of its system dependencies could not be loaded.</summary>
public sealed class OpenCvUnavailableException(string message, Exception inner) : Exception(message, inner);
