namespace LabelFree.Pipeline.Imaging;

/// <summary>An image read from a file together with the facts about how the file stored it.</summary>
public sealed record HyperstackFileContent(Hyperstack Image, HyperstackFileInfo Info);
