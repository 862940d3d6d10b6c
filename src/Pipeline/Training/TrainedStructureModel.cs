using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.Training;

/// <summary>What a training run produced: the bundle (null when interrupted before the last iteration) and its test evaluation.</summary>
public sealed record TrainedStructureModel(TrainingRun Run, TrainTestSplit Split, ModelManifest? Manifest, EvaluationReport? Test);
