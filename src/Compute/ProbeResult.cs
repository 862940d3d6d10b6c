using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// The verdicts of one probe process, and whether they say something about the machine: a probe that ran to
/// its end, or died of a hardware-level fault (illegal instruction, segmentation fault, bus error, arithmetic
/// trap), is conclusive; one interrupted (Ctrl+C, SIGTERM, killed for memory), timed out or unreadable is not,
/// and is never cached: the next process tries again.
/// </summary>
public sealed record ProbeResult(IReadOnlyList<PathVerdict> Verdicts, bool Conclusive);
