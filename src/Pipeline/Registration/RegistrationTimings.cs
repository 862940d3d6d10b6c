namespace LabelFree.Pipeline.Registration;

/// <summary>Wall-clock seconds per stage of one registration.</summary>
/// <param name="ResampleSeconds">Checks, content gate, conversion to the fixed pixel size and the pyramids.</param>
/// <param name="CoarseSeconds">Template matching over rotations and scales, and the full-resolution peak refinement.</param>
/// <param name="RefineSeconds">Optical-flow iterations and the final quality score.</param>
/// <param name="TotalSeconds">Everything, end to end.</param>
public sealed record RegistrationTimings(double ResampleSeconds, double CoarseSeconds, double RefineSeconds, double TotalSeconds);
