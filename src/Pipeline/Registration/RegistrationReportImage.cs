namespace LabelFree.Pipeline.Registration;

/// <summary>One input of a registration as the report names it.</summary>
/// <param name="Path">The file (or blob) the image came from.</param>
/// <param name="Width">Width in the image's own pixels.</param>
/// <param name="Height">Height in the image's own pixels.</param>
/// <param name="PixelSizeUm">The pixel size used, in µm.</param>
/// <param name="Channel">The channel used, when the file had several.</param>
public sealed record RegistrationReportImage(string Path, int Width, int Height, double PixelSizeUm, string? Channel = null);
