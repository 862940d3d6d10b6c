using LabelFree.Pipeline.Registration;

namespace LabelFree.Benchmarks.Registration;

/// <summary>The benchmark's figures for one scene kind.</summary>
/// <param name="Scene">Short name, e.g. "fibers-1500-in-2048".</param>
/// <param name="Geometry">Moving and fixed sizes and pixel sizes, in words.</param>
/// <param name="NegativeControl">The moving image is not in the fixed image: <paramref name="Registered"/> counts false claims, and there is no error.</param>
/// <param name="ConvergenceRate">Fraction of trials whose outcome is Registered.</param>
/// <param name="MeanErrorPixels">Mean error of the registered trials, fixed pixels.</param>
/// <param name="SdErrorPixels">Sample standard deviation of those errors.</param>
/// <param name="MaxErrorPixels">Largest error among the registered trials.</param>
/// <param name="RegisteredAboveOnePixel">Registered trials whose error still exceeds 1 px.</param>
/// <param name="FalseClaims">Registered trials that are wrong: every Registered negative control, elsewhere an error above <see cref="RegistrationBenchmark.FalseClaimPixels"/>.</param>
/// <param name="BelowContentGate">Trials whose moving image the content gate would stop (see <see cref="RegistrationBenchmarkOptions.ApplyContentGate"/>).</param>
/// <param name="MedianSeconds">Median time per registration.</param>
/// <param name="P95Seconds">95th percentile (nearest rank) of the time per registration.</param>
/// <param name="MedianCpuSeconds">Median processor time per registration, all threads together.</param>
public sealed record RegistrationBenchmarkScene(
    string Scene,
    string Geometry,
    bool NegativeControl,
    int Trials,
    int Registered,
    double ConvergenceRate,
    double? MeanErrorPixels,
    double? SdErrorPixels,
    double? MaxErrorPixels,
    int RegisteredAboveOnePixel,
    int FalseClaims,
    int BelowContentGate,
    double MedianSeconds,
    double P95Seconds,
    double MedianCpuSeconds)
{
    public static RegistrationBenchmarkScene Summarise(string scene, string geometry, bool negativeControl,
        IReadOnlyList<RegistrationBenchmarkTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var registered = trials.Where(t => t.Outcome == RegistrationOutcome.Registered).ToArray();
        var errors = registered.Where(t => t.ErrorPixels.HasValue).Select(t => t.ErrorPixels!.Value).ToArray();
        double? mean = errors.Length > 0 ? errors.Average() : null;
        double? deviation = errors.Length > 1
            ? Math.Sqrt(errors.Sum(e => (e - mean!.Value) * (e - mean.Value)) / (errors.Length - 1))
            : null;
        var seconds = trials.Select(t => t.Seconds).Order().ToArray();
        return new RegistrationBenchmarkScene(scene, geometry, negativeControl, trials.Count, registered.Length,
            trials.Count == 0 ? 0 : (double)registered.Length / trials.Count,
            mean, deviation, errors.Length > 0 ? errors.Max() : null, errors.Count(e => e > 1), trials.Count(t => t.FalseClaim), trials.Count(t => t.BelowContentGate),
            NearestRank(seconds, 0.5), NearestRank(seconds, 0.95), NearestRank(trials.Select(t => t.CpuSeconds).Order().ToArray(), 0.5));
    }

    private static double NearestRank(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
