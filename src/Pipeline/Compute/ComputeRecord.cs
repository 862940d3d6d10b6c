namespace LabelFree.Pipeline.Compute;

/// <summary>
/// What computed a result: the compute level this process runs at, the CPU, and the self-test verdict of
/// each path it was chosen for. Written into model bundles and prediction manifests, so a number can be
/// traced to the arithmetic that produced it.
/// </summary>
public sealed record ComputeRecord(string Level, string Cpu, IReadOnlyList<ComputeRecordPath> Paths)
{
    private static ComputeRecord? _current;

    /// <summary>The record of this process, once its level was chosen and applied; null before (or where no selection ran).</summary>
    public static ComputeRecord? Current => _current;

    /// <summary>Set once, by whatever applied this process's compute level.</summary>
    public static void SetCurrent(ComputeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _current = record;
    }
}

/// <summary>One verified path of a <see cref="ComputeRecord"/>: its name, the largest error the self-test saw and the tolerance.</summary>
public sealed record ComputeRecordPath(string Path, bool Passed, double MaxError, double Tolerance);
