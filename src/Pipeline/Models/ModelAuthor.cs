namespace LabelFree.Pipeline.Models;

/// <summary>A model author, as bioimage.io lists them.</summary>
public sealed record ModelAuthor(string Name, string? Affiliation = null);
