namespace LabelFree.Pipeline.Training;

/// <summary>How a call to <see cref="StructureTrainer.Train"/> ended.</summary>
/// <param name="Compute">Compute time of the whole run so far (<see cref="ComputeClock"/>), earlier sessions included.</param>
/// <param name="SelectedIteration">The iteration whose weights the network now holds.</param>
/// <param name="SelectedValidation">Their validation loss and r, when they were chosen by them.</param>
public sealed record TrainingRun(int StartIteration, int LastIteration, bool Completed, TimeSpan Elapsed,
    TimeSpan Compute = default, int? SelectedIteration = null, ValidationMeasurement? SelectedValidation = null);
