namespace LabelFree.Pipeline.BioImageIo;

/// <summary>A bundle that cannot become a bioimage.io package as asked (no author, no licence, a non-empty output folder), with the reason.</summary>
public sealed class BioImageIoExportException(string message) : Exception(message);
