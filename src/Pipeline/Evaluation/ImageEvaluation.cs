namespace LabelFree.Pipeline.Evaluation;

/// <summary>How well one predicted image matches its ground truth.</summary>
/// <param name="PearsonR">Voxel-wise Pearson r over the whole image, or null when undefined (see <paramref name="UndefinedReason"/>).</param>
/// <param name="CMax">The image's correlation ceiling from control images, when controls were given and it is defined.</param>
public sealed record ImageEvaluation(string Image, double? PearsonR, string? UndefinedReason, double? CMax);
