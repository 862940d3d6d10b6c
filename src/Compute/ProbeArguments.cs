using System.Globalization;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>The probe's command line: every option given once, as a name and a value.</summary>
internal sealed record ProbeArguments(string Level, bool OneDnn, IReadOnlyList<ComputePath> Paths, int Threads, IReadOnlySet<ComputePath> Faults)
{
    /// <exception cref="ArgumentException">An unknown option, a missing value, or a value out of range.</exception>
    public static ProbeArguments Parse(ReadOnlySpan<string> args)
    {
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"Probe options come as name and value; '{args[^1]}' has no value.");
        }

        string? level = null;
        bool? oneDnn = null;
        IReadOnlyList<ComputePath>? paths = null;
        int? threads = null;
        var faults = new HashSet<ComputePath>();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--level": level = value; break;
                case "--onednn": oneDnn = value == "on" ? true : value == "off" ? false : throw new ArgumentException($"--onednn takes on or off, not '{value}'."); break;
                case "--paths": paths = value.Split(',').Select(ComputePaths.Parse).ToList(); break;
                case "--threads": threads = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 ? count : throw new ArgumentException($"--threads takes a positive number, not '{value}'."); break;
                case "--inject-fault": faults.Add(ComputePaths.Parse(value)); break;
                default: throw new ArgumentException($"Unknown probe option {args[i]}.");
            }
        }

        return new ProbeArguments(
            level ?? throw new ArgumentException("--level is required."),
            oneDnn ?? throw new ArgumentException("--onednn is required."),
            paths ?? throw new ArgumentException("--paths is required."),
            threads ?? throw new ArgumentException("--threads is required."),
            faults);
    }
}
