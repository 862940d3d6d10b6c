using System.Globalization;

namespace LabelFree.Benchmarks;

/// <summary>
/// The kernel's run-queue averages over 1, 5 and 15 minutes. On a machine shared with other work a
/// figure measured under load above the core count is slower than the machine can do; the benchmark
/// prints the load so such figures can be recognised and re-measured.
/// </summary>
public sealed record LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    private const string LoadAveragePath = "/proc/loadavg";

    /// <summary>The current load average, or null where the system does not publish one.</summary>
    public static LoadAverage? Read() =>
        File.Exists(LoadAveragePath) ? Parse(File.ReadAllText(LoadAveragePath)) : null;

    /// <summary>Parses the first three fields of /proc/loadavg ("0.52 0.58 0.59 1/123 4567").</summary>
    public static LoadAverage Parse(string loadAverage)
    {
        ArgumentNullException.ThrowIfNull(loadAverage);
        var fields = loadAverage.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length < 3)
        {
            throw new FormatException($"Not a /proc/loadavg line: '{loadAverage.Trim()}'.");
        }

        return new LoadAverage(Field(fields[0]), Field(fields[1]), Field(fields[2]));

        double Field(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Not a /proc/loadavg line: '{loadAverage.Trim()}'.");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} {FiveMinutes:0.00} {FifteenMinutes:0.00}");
}
