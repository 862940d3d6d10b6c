using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// The targets for this machine: fp32 prediction at >= 80 % of the fp32 GEMM rate; bf16 at
/// >= 50 % of the bf16 GEMM rate with r(bf16, fp32) >= 0.999; tiled peak memory <= 2.5 GB; tiled
/// time <= 1.1x one-pass time. Each is checked for every case it applies to.
/// </summary>
public static class ModelTargets
{
    public const double Float32GemmFraction = 0.80;
    public const double BFloat16GemmFraction = 0.50;
    public const double BFloat16Correlation = 0.999;

    /// <summary>Bytes (decimal GB, the stricter reading of "2.5 GB").</summary>
    public const double TiledPeakBytes = 2.5e9;

    public const double TiledTimeRatio = 1.1;

    /// <param name="bfloat16Agreement">r between the bf16 and fp32 one-pass predictions; null when not measured.</param>
    public static IReadOnlyList<BenchmarkTarget> Evaluate(IReadOnlyList<PredictionMeasurement> predictions, double? bfloat16Agreement)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var targets = new List<BenchmarkTarget>();
        foreach (var measured in predictions)
        {
            var (floor, reference) = measured.Precision == Precision.Float32
                ? (Float32GemmFraction, "fp32 GEMM")
                : (BFloat16GemmFraction, "bf16 GEMM");
            targets.Add(new BenchmarkTarget($"{measured.Name} prediction speed, fraction of {reference}", measured.FractionOfGemm, TargetDirection.AtLeast, floor, "%"));
        }

        if (bfloat16Agreement is { } r)
        {
            targets.Add(new BenchmarkTarget("r(bf16, fp32) of one-pass predictions", r, TargetDirection.AtLeast, BFloat16Correlation, ""));
        }

        foreach (var tiled in predictions.Where(p => p.IsTiled))
        {
            targets.Add(new BenchmarkTarget($"{tiled.Name} peak resident memory", tiled.Memory.PeakBytes, TargetDirection.AtMost, TiledPeakBytes, "GB"));
            var whole = predictions.FirstOrDefault(p => !p.IsTiled && p.Precision == tiled.Precision && p.Stack == tiled.Stack);
            if (whole is not null)
            {
                targets.Add(new BenchmarkTarget($"{tiled.Name} time / {whole.Name} time", tiled.BestSeconds / whole.BestSeconds, TargetDirection.AtMost, TiledTimeRatio, "x"));
            }
        }

        return targets;
    }
}
