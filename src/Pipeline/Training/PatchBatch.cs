using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>A mini-batch of patches, laid out as (batch, channel 1, Z, Y, X) in two flat arrays.</summary>
public sealed record PatchBatch(float[] Signal, float[] Target, int Count, VolumeShape Patch);
