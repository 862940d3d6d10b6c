namespace LabelFree.Pipeline.Registration;

/// <summary>Wall-clock seconds per stage of one registration.</summary>
/// <param name="ResampleSeconds">Checks, content gate, conversion to the fixed pixel size and the pyramids.</param>
/// <param name="CoarseSeconds">The rough placement: keypoints on both images, their matches and the RANSAC similarities.</param>
/// <param name="RefineSeconds">Optical-flow iterations, the final quality score and the forward/inverse agreement check.</param>
/// <param name="TotalSeconds">Everything, end to end.</param>
public sealed record RegistrationTimings(double ResampleSeconds, double CoarseSeconds, double RefineSeconds, double TotalSeconds);
