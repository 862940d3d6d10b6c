namespace LabelFree.Pipeline.Compute;

/// <summary>One array of a .npz file: its shape and its values, float32 or int64.</summary>
public sealed record NumpyArray(IReadOnlyList<long> Shape, float[]? Floats, long[]? Integers)
{
    public long[] ShapeArray => [.. Shape];

    public float[] RequireFloats(string name) =>
        Floats ?? throw new InvalidDataException($"Array {name} holds integers, not float32 values.");
}
