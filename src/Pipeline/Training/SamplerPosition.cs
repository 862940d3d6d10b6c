namespace LabelFree.Pipeline.Training;

/// <summary>
/// Everything a <see cref="BufferedPatchSampler"/> needs to continue exactly where it stopped:
/// the generator state, the patch count, which images are in the buffer and which loads next.
/// Stored in every training checkpoint.
/// </summary>
public sealed record SamplerPosition(ulong RandomState, long PatchesDrawn, IReadOnlyList<int> Buffer, int NextImage);
