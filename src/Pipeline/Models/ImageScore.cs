namespace LabelFree.Pipeline.Models;

/// <summary>Pearson r of one test image's prediction against its target, and that image's C_max when known.</summary>
public sealed record ImageScore(string Image, double PearsonR, double? CMax = null);
