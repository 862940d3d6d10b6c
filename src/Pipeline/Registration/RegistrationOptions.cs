namespace LabelFree.Pipeline.Registration;

/// <summary>Settings of <see cref="EmToIfRegistration"/>. The defaults are the tuned ones the benchmark reports.</summary>
public sealed record RegistrationOptions
{
    public static RegistrationOptions Default { get; } = new();

    /// <summary>Register only when more than this fraction of the moving pixels exceed <see cref="ContentLevel"/> (METHOD §7: 1 %).</summary>
    public double MinimumContentFraction { get; init; } = 0.01;

    /// <summary>
    /// Whether the content gate may stop a registration. A prediction should always be gated; benchmarks on real
    /// stains that are not predictions (a few bright nuclei) switch it off.
    /// </summary>
    public bool ApplyContentGate { get; init; } = true;

    /// <summary>The fraction of the moving image's maximum (above its background) a pixel must exceed to count as content.</summary>
    public double ContentLevel { get; init; } = 0.5;

    /// <summary>Rotations tried by the coarse template search, in degrees; the flow refinement then corrects the rest.</summary>
    public IReadOnlyList<double> CoarseRotationsDegrees { get; init; } = [-6, -3, 0, 3, 6];

    /// <summary>
    /// Scales tried by the coarse search, relative to the size the pixel sizes imply (1 = the stated pixel sizes are right).
    /// </summary>
    public IReadOnlyList<double> CoarseScales { get; init; } = [0.9, 0.95, 1.0, 1.05, 1.1];

    /// <summary>
    /// The exhaustive search over the whole fixed image runs on the deepest pyramid level where the moving image's
    /// shorter side still has this many pixels.
    /// </summary>
    public int SearchMinimumSize { get; init; } = 48;

    /// <summary>
    /// The best search peaks are verified, and the flow refinement starts, on the deepest level where the moving
    /// image's shorter side still has this many pixels.
    /// </summary>
    public int CoarseMinimumSize { get; init; } = 96;

    /// <summary>Stop when one refinement step moves no corner of the moving image by more than this many fixed pixels.</summary>
    public double ToleranceFixedPixels { get; init; } = 0.05;

    /// <summary>Most refinement steps at full resolution before the outcome is <see cref="RegistrationOutcome.NotConverged"/>.</summary>
    public int MaximumIterations { get; init; } = 8;

    /// <summary>
    /// The lowest normalised cross-correlation between the registered images that counts as registered. A moving image
    /// from another place converges somewhere, but correlates far below this.
    /// </summary>
    public double MinimumQuality { get; init; } = 0.25;

    /// <summary>Angles from -<paramref name="maximumDegrees"/> to +<paramref name="maximumDegrees"/> in steps of at most <paramref name="stepDegrees"/>, 0 included.</summary>
    public static IReadOnlyList<double> RotationsUpTo(double maximumDegrees, double stepDegrees = 3)
    {
        if (!(maximumDegrees >= 0) || !(stepDegrees > 0) || !double.IsFinite(maximumDegrees + stepDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(maximumDegrees), $"Need a maximum >= 0 and a step > 0, got {maximumDegrees} and {stepDegrees}.");
        }

        var steps = (int)Math.Ceiling(maximumDegrees / stepDegrees);
        return steps == 0 ? [0.0] : Enumerable.Range(-steps, 2 * steps + 1).Select(i => i * maximumDegrees / steps).ToArray();
    }

    /// <summary>
    /// How much better (in correlation at the search level) the chosen place must match than the best place elsewhere.
    /// In the benchmark a simulated prediction wins by about 0.5 where it belongs, and by under 0.05 in another
    /// tissue, whose self-similar texture matches equally badly everywhere.
    /// </summary>
    public double MinimumCoarseMargin { get; init; } = 0.1;

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(MinimumContentFraction is >= 0 and < 1) || !(ContentLevel is > 0 and < 1))
        {
            throw new ArgumentException($"Content gate settings out of range: fraction {MinimumContentFraction}, level {ContentLevel}.");
        }

        if (CoarseRotationsDegrees.Count == 0 || CoarseRotationsDegrees.Any(r => !double.IsFinite(r) || Math.Abs(r) >= 45))
        {
            throw new ArgumentException("Coarse rotations must be a non-empty set of finite angles within ±45°.");
        }

        if (CoarseScales.Count == 0 || CoarseScales.Any(s => !double.IsFinite(s) || s <= 0.1 || s >= 10))
        {
            throw new ArgumentException("Coarse scales must be a non-empty set of positive factors between 0.1 and 10.");
        }

        if (SearchMinimumSize < 16 || CoarseMinimumSize < SearchMinimumSize || MaximumIterations < 1 || !(ToleranceFixedPixels > 0) || !(MinimumQuality is >= -1 and <= 1) || !(MinimumCoarseMargin is >= 0 and <= 2))
        {
            throw new ArgumentException(
                $"Refinement settings out of range: search size {SearchMinimumSize}, coarse size {CoarseMinimumSize}, iterations {MaximumIterations}, " +
                $"tolerance {ToleranceFixedPixels}, minimum quality {MinimumQuality}, minimum coarse margin {MinimumCoarseMargin}.");
        }
    }
}
