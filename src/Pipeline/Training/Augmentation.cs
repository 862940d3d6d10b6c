namespace LabelFree.Pipeline.Training;

/// <summary>
/// Random transforms applied to each training patch, so a model trained on few fields learns what does not
/// depend on orientation or exposure instead of memorising the fields. The paper used none
/// (<see cref="None"/>); each part can be turned on by itself.
/// </summary>
public sealed record Augmentation
{
    public static readonly Augmentation None = new();

    /// <summary>Flips in Y and X and, for square patches, transposes of the YX plane: the 8 symmetries of the square (4 for non-square patches).</summary>
    public bool PlaneSymmetries { get; init; }

    /// <summary>Flips along Z (3D only): right for specimens with no preferred side of the focal plane, wrong for optics with depth asymmetry, hence off unless asked for.</summary>
    public bool DepthFlips { get; init; }

    /// <summary>
    /// Multiplies the normalised signal patch by a gain and adds an offset, both random per patch
    /// (<see cref="GainRange"/>, <see cref="OffsetRange"/>): exposure and illumination vary within a field
    /// more than one per-image normalisation can remove. The target is left as it is.
    /// </summary>
    public bool IntensityJitter { get; init; }

    /// <summary>Largest factor the gain moves away from 1 (gains are log-uniform in [1/r, r]).</summary>
    public double GainRange { get; init; } = 1.25;

    /// <summary>Largest offset, in normalised units (an offset is uniform in [-r, r]).</summary>
    public double OffsetRange { get; init; } = 0.2;

    public bool Any => PlaneSymmetries || DepthFlips || IntensityJitter;

    /// <summary>The recipe LabelFree recommends: plane symmetries and intensity jitter (see the README's training section for the figures).</summary>
    public static Augmentation Recommended { get; } = new() { PlaneSymmetries = true, IntensityJitter = true };

    /// <summary>A short text for logs and model.json, e.g. "plane-symmetries+intensity-jitter" or "none".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (PlaneSymmetries)
        {
            parts.Add("plane-symmetries");
        }

        if (DepthFlips)
        {
            parts.Add("depth-flips");
        }

        if (IntensityJitter)
        {
            parts.Add(FormattableString.Invariant($"intensity-jitter(gain {GainRange}, offset {OffsetRange})"));
        }

        return parts.Count == 0 ? "none" : string.Join('+', parts);
    }

    public void Validate()
    {
        if (!(GainRange >= 1 && double.IsFinite(GainRange)) || !(OffsetRange >= 0 && double.IsFinite(OffsetRange)))
        {
            throw new ArgumentOutOfRangeException(nameof(GainRange), $"The gain range must be at least 1 and the offset range at least 0, got {GainRange} and {OffsetRange}.");
        }
    }
}
