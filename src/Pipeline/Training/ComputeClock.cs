using System.Diagnostics;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Compute time of a training run: the process's CPU time divided by the threads it trains on, plus what earlier
/// sessions of the same run used (from the checkpoint). On a machine with that many idle cores it equals wall
/// time; on a busy one it does not shrink, so a budget buys the same training wherever it runs.
/// </summary>
public sealed class ComputeClock
{
    private readonly int _threads;
    private readonly TimeSpan _carried;
    private readonly TimeSpan _processAtStart;

    public ComputeClock(int threads, TimeSpan carried)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        _threads = threads;
        _carried = carried;
        _processAtStart = ProcessTime();
    }

    public TimeSpan Used => _carried + (ProcessTime() - _processAtStart) / _threads;

    private static TimeSpan ProcessTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
