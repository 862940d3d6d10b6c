namespace LabelFree.Pipeline.Registration;

/// <summary>The two images cannot be registered as given (e.g. the moving image is larger than the fixed image at a common pixel size).</summary>
public sealed class RegistrationInputException(string message) : Exception(message);
