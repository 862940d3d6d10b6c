namespace LabelFree.Benchmarks;

/// <summary>Resident memory when a measurement started and the most it reached while it ran.</summary>
public sealed record MemoryPeak(long BaselineBytes, long PeakBytes)
{
    /// <summary>What the measured work itself added on top of what the process already held.</summary>
    public long AboveBaselineBytes => Math.Max(0, PeakBytes - BaselineBytes);

    /// <summary>The higher of two peaks (several runs of one case report their worst).</summary>
    public static MemoryPeak Max(MemoryPeak first, MemoryPeak second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return second.PeakBytes > first.PeakBytes ? second : first;
    }
}
