using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// Pearson's r between a prediction and its target, voxel by voxel over the whole image: the paper's score,
/// one r per image (scipy.stats.pearsonr in the reference). When r does not exist, <see cref="R"/> is null and
/// <see cref="UndefinedReason"/> says why; a NaN never comes out.
/// </summary>
public sealed record PearsonCorrelation
{
    private PearsonCorrelation(double? r, string? undefinedReason)
    {
        R = r;
        UndefinedReason = undefinedReason;
    }

    /// <summary>r in [-1, 1], or null when undefined.</summary>
    public double? R { get; }

    public string? UndefinedReason { get; }

    public bool IsDefined => R.HasValue;

    /// <exception cref="ArgumentException">The volumes differ in shape, or hold NaN or infinite values.</exception>
    public static PearsonCorrelation Between(Volume prediction, Volume target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Shape != target.Shape)
        {
            throw new ArgumentException($"Prediction {prediction.Shape} and target {target.Shape} must have the same shape.", nameof(target));
        }

        return Between(prediction.Voxels, target.Voxels);
    }

    /// <summary>r over paired values, accumulated in double in two passes (means, then co-deviations).</summary>
    /// <exception cref="ArgumentException">The lengths differ, are zero, or a value is NaN or infinite.</exception>
    public static PearsonCorrelation Between(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        if (prediction.Length != target.Length)
        {
            throw new ArgumentException($"Prediction has {prediction.Length} values and target {target.Length}: they must pair up.", nameof(target));
        }

        if (prediction.IsEmpty)
        {
            throw new ArgumentException("There are no values to correlate.", nameof(prediction));
        }

        var predictionMean = Mean(prediction, nameof(prediction));
        var targetMean = Mean(target, nameof(target));
        double predictionSquares = 0, targetSquares = 0, products = 0;
        for (var i = 0; i < prediction.Length; i++)
        {
            var p = prediction[i] - predictionMean;
            var t = target[i] - targetMean;
            predictionSquares += p * p;
            targetSquares += t * t;
            products += p * t;
        }

        var reason = (predictionSquares == 0, targetSquares == 0) switch
        {
            (true, true) => "Prediction and target are both constant: r is undefined.",
            (true, false) => "The prediction is constant: r is undefined.",
            (false, true) => "The target is constant: r is undefined.",
            _ => null,
        };
        if (reason is not null)
        {
            return new PearsonCorrelation(null, reason);
        }

        // Rounding can put a perfect correlation a hair outside [-1, 1]; r itself never is.
        var r = products / Math.Sqrt(predictionSquares * targetSquares);
        return new PearsonCorrelation(Math.Clamp(r, -1.0, 1.0), null);
    }

    private static double Mean(ReadOnlySpan<float> values, string name)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        if (!double.IsFinite(sum))
        {
            throw new ArgumentException("The values hold NaN or infinite entries.", name);
        }

        return sum / values.Length;
    }
}
