namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// An image whose voxels all hold one value, so it cannot be z-scored (its standard deviation is 0).
/// </summary>
/// <remarks>
/// Returning zeros instead would hide a failed acquisition (closed shutter, dead camera, saturated field) behind
/// a plausible-looking prediction, so the caller gets a named failure to report. It derives from
/// <see cref="ArgumentException"/> because it is a bad value handed in by the caller, and code that already
/// rejects bad arguments catches it without knowing this type.
/// </remarks>
public sealed class ConstantImageException : ArgumentException
{
    public ConstantImageException(float value, string? paramName = null)
        : base(FormattableString.Invariant($"Every voxel of the image is {value}: a constant image has no contrast and cannot be normalised (standard deviation 0)."), paramName)
    {
        Value = value;
    }

    /// <summary>The single value every voxel holds.</summary>
    public float Value { get; }
}
