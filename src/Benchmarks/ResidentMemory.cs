using System.Globalization;

namespace LabelFree.Benchmarks;

/// <summary>
/// The process's resident set size (physical memory in use) and its high-water mark, read from
/// /proc/self on Linux; elsewhere from the runtime's working-set figures.
/// </summary>
public static class ResidentMemory
{
    private const string StatmPath = "/proc/self/statm";
    private const string StatusPath = "/proc/self/status";

    /// <summary>Resident bytes now. /proc/self/statm is used because it is one short line, cheap to read every few milliseconds.</summary>
    public static long CurrentBytes() => File.Exists(StatmPath)
        ? ParseStatm(File.ReadAllText(StatmPath), Environment.SystemPageSize)
        : Environment.WorkingSet;

    /// <summary>The highest resident size since the process started (VmHWM); it cannot be reset from inside the process.</summary>
    public static long HighWaterMarkBytes()
    {
        if (File.Exists(StatusPath))
        {
            return ParseStatusField(File.ReadAllText(StatusPath), "VmHWM");
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Resident bytes from a statm line ("size resident shared text lib data dt", in pages).</summary>
    public static long ParseStatm(string statm, long pageSize)
    {
        ArgumentNullException.ThrowIfNull(statm);
        var fields = statm.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length < 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
        {
            throw new FormatException($"Not a /proc/self/statm line: '{statm.Trim()}'.");
        }

        return pages * pageSize;
    }

    /// <summary>Bytes of a "Name:   1234 kB" line of /proc/self/status (VmRSS, VmHWM, ...).</summary>
    public static long ParseStatusField(string status, string field)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentException.ThrowIfNullOrEmpty(field);
        foreach (var line in status.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !line.AsSpan(0, colon).SequenceEqual(field))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (value.EndsWith(" kB", StringComparison.Ordinal)
                && long.TryParse(value[..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }

            throw new FormatException($"/proc/self/status field {field} is not a size in kB: '{line.Trim()}'.");
        }

        throw new FormatException($"/proc/self/status has no {field} line.");
    }
}
