namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// CPU time the process has used (all threads): in total, and the part spent in the kernel. On a
/// machine shared with other work, wall time stretches with the load but the CPU time a computation
/// needs barely moves, so rates per CPU-second compare code fairly even when wall-clock figures are
/// spoiled. Kernel time is where first touches of freshly mapped memory (page faults) show up.
/// </summary>
public readonly record struct ProcessorTime(TimeSpan Total, TimeSpan Kernel)
{
    public static ProcessorTime Now()
    {
        var usage = Environment.CpuUsage;
        return new ProcessorTime(usage.TotalTime, usage.PrivilegedTime);
    }

    /// <summary>CPU time used between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static ProcessorTime operator -(ProcessorTime end, ProcessorTime start) =>
        new(end.Total - start.Total, end.Kernel - start.Kernel);

    public static ProcessorTime operator +(ProcessorTime first, ProcessorTime second) =>
        new(first.Total + second.Total, first.Kernel + second.Kernel);

    public static ProcessorTime Add(ProcessorTime first, ProcessorTime second) => first + second;

    public static ProcessorTime Subtract(ProcessorTime end, ProcessorTime start) => end - start;
}
