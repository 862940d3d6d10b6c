using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// C_max, the best Pearson r any model could reach on one target image (paper §Methods, reference
/// <c>evaluate_model.py</c>): a target is T = S + N, a perfect model predicts the signal S but not the noise N,
/// so r(S, T) = sqrt(SNR / (1 + SNR)) with SNR = (var(T) - ⟨N²⟩) / ⟨N²⟩.
/// </summary>
/// <remarks>
/// Pass raw intensities for both the controls and the targets, not z-scores: the reference measures both
/// on un-normalised images, and normalising each image on its own would make every variance 1.
/// </remarks>
public sealed record CorrelationCeiling
{
    private CorrelationCeiling(double? cMax, double? signalToNoise, double targetVariance, double noiseVariance, string? undefinedReason)
    {
        CMax = cMax;
        SignalToNoise = signalToNoise;
        TargetVariance = targetVariance;
        NoiseVariance = noiseVariance;
        UndefinedReason = undefinedReason;
    }

    /// <summary>The ceiling in [0, 1], or null when the target shows no signal above the noise.</summary>
    public double? CMax { get; }

    /// <summary>⟨S²⟩ / ⟨N²⟩, or null when undefined.</summary>
    public double? SignalToNoise { get; }

    /// <summary>Population variance of the target image.</summary>
    public double TargetVariance { get; }

    /// <summary>The noise variance ⟨N²⟩ the ceiling was computed with.</summary>
    public double NoiseVariance { get; }

    public string? UndefinedReason { get; }

    public bool IsDefined => CMax.HasValue;

    /// <summary>
    /// ⟨N²⟩: the mean, over control images (same imaging settings, no label), of each image's population
    /// variance.
    /// </summary>
    /// <exception cref="ArgumentException">No controls, or a control with NaN or infinite values.</exception>
    /// <exception cref="ConstantImageException">A control is constant: a broken acquisition, not a noise sample.</exception>
    public static double EstimateNoiseVariance(IEnumerable<Volume> controls)
    {
        ArgumentNullException.ThrowIfNull(controls);
        var sum = 0.0;
        var count = 0;
        foreach (var control in controls)
        {
            var statistics = IntensityStatistics.Measure(control.Voxels);
            if (statistics.IsConstant)
            {
                throw new ConstantImageException(statistics.Minimum, nameof(controls));
            }

            sum += statistics.Variance;
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("At least one control image is needed to estimate the noise variance.", nameof(controls));
        }

        return sum / count;
    }

    /// <inheritdoc cref="ForTarget(ReadOnlySpan{float}, double)"/>
    public static CorrelationCeiling ForTarget(Volume target, double noiseVariance)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ForTarget(target.Voxels, noiseVariance);
    }

    /// <summary>C_max of one target image given the noise variance of its controls.</summary>
    /// <remarks>
    /// var(T) = ⟨N²⟩ gives SNR 0 and C_max 0, the formula's own value. var(T) &lt; ⟨N²⟩ means a negative signal
    /// variance, for which the square root does not exist: the result is undefined rather than 0, because 0
    /// would pull a collection's mean down with images that carry no information, while the reference gets NaN
    /// there and its mean skips them.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="noiseVariance"/> is not finite and positive.</exception>
    public static CorrelationCeiling ForTarget(ReadOnlySpan<float> target, double noiseVariance)
    {
        if (!double.IsFinite(noiseVariance) || noiseVariance <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noiseVariance), noiseVariance, "The noise variance must be finite and positive.");
        }

        var targetVariance = IntensityStatistics.Measure(target).Variance;
        var signalVariance = targetVariance - noiseVariance;
        if (signalVariance < 0)
        {
            return new CorrelationCeiling(null, null, targetVariance, noiseVariance, FormattableString.Invariant(
                $"The target's variance {targetVariance:G6} is below the noise variance {noiseVariance:G6}: no measurable signal, so C_max is undefined."));
        }

        var signalToNoise = signalVariance / noiseVariance;
        return new CorrelationCeiling(Math.Sqrt(signalToNoise / (1 + signalToNoise)), signalToNoise, targetVariance, noiseVariance, null);
    }
}
