namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>One OME Channel element: its name, samples per pixel and the annotations it references.</summary>
internal sealed record OmeChannel(string? Name, long? SamplesPerPixel, IReadOnlyList<string> AnnotationIds);
