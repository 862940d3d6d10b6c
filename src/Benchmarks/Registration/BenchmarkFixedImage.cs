using LabelFree.Pipeline.Registration;

namespace LabelFree.Benchmarks.Registration;

/// <summary>A real fluorescence image the registration benchmark uses as the fixed image, with a short name for the report.</summary>
public sealed record BenchmarkFixedImage(string Name, CalibratedImage Image);
