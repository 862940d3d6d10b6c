using System.Globalization;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>One performance target from the issue, the figure measured for it and whether it holds.</summary>
/// <param name="Name">What is measured, e.g. "fp32 whole-volume prediction, fraction of fp32 GEMM".</param>
/// <param name="Unit">How <paramref name="Measured"/> and <paramref name="Limit"/> are written: "%" (stored as a fraction), "GB" (stored in bytes), "x" or "" (plain numbers).</param>
/// <param name="Reason">For a miss: what the measurements say holds it back (null when passed or not known).</param>
public sealed record BenchmarkTarget(string Name, double Measured, TargetDirection Direction, double Limit, string Unit, string? Reason = null)
{
    public bool Passed => Direction == TargetDirection.AtLeast ? Measured >= Limit : Measured <= Limit;

    /// <summary>"PASS  name: measured (target >= limit)".</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"{(Passed ? "PASS" : "MISS")}  {Name}: {Format(Measured)} (target {(Direction == TargetDirection.AtLeast ? ">=" : "<=")} {Format(Limit)})")
        + (!Passed && Reason is not null ? Environment.NewLine + "        why: " + Reason : string.Empty);

    private string Format(double value) => Unit switch
    {
        "%" => string.Create(CultureInfo.InvariantCulture, $"{value * 100:0.0} %"),
        "GB" => string.Create(CultureInfo.InvariantCulture, $"{value / 1e9:0.00} GB"),
        "x" => string.Create(CultureInfo.InvariantCulture, $"{value:0.00}x"),
        _ => value.ToString("0.######", CultureInfo.InvariantCulture),
    };
}
