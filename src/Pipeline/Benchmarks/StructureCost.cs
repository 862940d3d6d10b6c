namespace LabelFree.Pipeline.Benchmarks;

/// <summary>Predicting one stack for <paramref name="Structures"/> structure models, one after another as the integrated prediction does.</summary>
/// <param name="RelativeToOne">CPU time over <paramref name="Structures"/> x the CPU time of one: 1 when cost grows linearly.</param>
public sealed record StructureCost(int Structures, double Seconds, double CpuSeconds, double RelativeToOne);
