namespace LabelFree.Pipeline.Training;

/// <summary>One row of losses.csv: the mini-batch loss, and the held-out loss and Pearson r at checkpoint iterations.</summary>
public sealed record LossRecord(int Iteration, double TrainLoss, double? ValidationLoss, double? ValidationR = null);
