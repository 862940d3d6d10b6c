namespace LabelFree.Pipeline.Training;

/// <summary>How a call to <see cref="StructureTrainer.Train"/> ended.</summary>
public sealed record TrainingRun(int StartIteration, int LastIteration, bool Completed, TimeSpan Elapsed);
