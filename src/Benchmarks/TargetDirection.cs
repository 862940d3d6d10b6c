namespace LabelFree.Benchmarks;

/// <summary>Whether a target is a floor (speed, agreement) or a ceiling (memory, overhead).</summary>
public enum TargetDirection
{
    AtLeast,
    AtMost,
}
