namespace LabelFree.Pipeline.Training;

/// <summary>One row of losses.csv: the mini-batch MSE, and the held-out MSE at checkpoint iterations.</summary>
public sealed record LossRecord(int Iteration, double TrainLoss, double? ValidationLoss);
