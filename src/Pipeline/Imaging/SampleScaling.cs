namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// A linear map between float values and stored integers: <c>value = Offset + Scale * stored</c>.
/// <see cref="OmeTiffWriter"/> records it per channel in the OME-XML as a MapAnnotation (namespace
/// <see cref="OmeNamespace"/>, keys <c>offset</c> and <c>scale</c>) referenced from the channel, and
/// <see cref="HyperstackFile"/> undoes it on reading.
/// </summary>
public readonly record struct SampleScaling(double Offset, double Scale)
{
    /// <summary>Namespace of the OME MapAnnotation that carries a channel's scaling.</summary>
    public const string OmeNamespace = "labelfree.pipeline/sample-scaling";

    public bool IsValid => double.IsFinite(Offset) && double.IsFinite(Scale) && Scale > 0;

    /// <summary>The scaling that spreads [<paramref name="min"/>, <paramref name="max"/>] over the whole uint16 range.</summary>
    public static SampleScaling FitToUInt16(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException(FormattableString.Invariant($"Cannot fit the range [{min}, {max}] to uint16."));
        }

        // A constant channel still needs a positive scale; every voxel then stores 0 and reads back as min.
        return max > min ? new SampleScaling(min, (max - min) / ushort.MaxValue) : new SampleScaling(min, 1);
    }

    /// <summary>The stored uint16 for a value: rounded to nearest, clamped to [0, 65535].</summary>
    public ushort ToUInt16(float value)
    {
        var stored = Math.Round((value - Offset) / Scale, MidpointRounding.AwayFromZero);
        return (ushort)Math.Clamp(stored, 0, ushort.MaxValue);
    }

    public float ToValue(double stored) => (float)(Offset + Scale * stored);

    public override string ToString() => FormattableString.Invariant($"value = {Offset:R} + {Scale:R} * stored");
}
