using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// The whole training recipe of the paper (METHOD.md §2-6): a seeded train/test split of the pairs,
/// pre-processing of every image onto the model's grid (z-score, then cubic resampling), random patch
/// training, then evaluation of the finished model on the held-out pairs, saved as a model bundle
/// whose model.json records the split, the training settings and the test metrics.
/// </summary>
public static class StructureModelTraining
{
    public const string TrainCsv = "train.csv";
    public const string TestCsv = "test.csv";

    public static TrainedStructureModel Run(StructureTrainingPlan plan, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.Options.Validate();
        if (plan.Options.Dimensions != plan.Architecture.Dimensions)
        {
            throw new ArgumentException($"The options train a {plan.Options.Dimensions}D model but the network is {plan.Architecture.Dimensions}D.", nameof(plan));
        }

        Directory.CreateDirectory(plan.RunDirectory);
        var split = RecordedSplit(plan);
        var grid = Grid(plan);
        var options = plan.Options;
        TrainingVolumes Load(ImagePair pair) => ToModelGrid(pair, grid, plan.Normalisation);
        BufferedPatchSampler sampler;
        IValidationSet? validation;
        if (options.ValidationShare > 0)
        {
            // Every training image gives up a strip for validation, so all are loaded (and kept) up front.
            var (training, regions) = ValidationRegions.Split(split.Train.Select(Load).ToArray(), options.ValidationShare,
                plan.Architecture.SpatialMultiple, options.Patch, options.Dimensions);
            sampler = new BufferedPatchSampler(training.Count, i => training[i], options.Patch, options.BufferSize, options.BufferSwitchEvery,
                (ulong)options.Seed, options.Augmentation);
            validation = regions;
        }
        else
        {
            sampler = new BufferedPatchSampler(split.Train.Count, i => Load(split.Train[i]), options.Patch, options.BufferSize,
                options.BufferSwitchEvery, (ulong)options.Seed, options.Augmentation);
            validation = split.Test.Count == 0
                ? null
                : new HeldOutPatches(() => new BufferedPatchSampler(split.Test.Count, i => Load(split.Test[i]), options.Patch,
                    split.Test.Count, 0, (ulong)options.Seed + 1), options.ValidationBatches, options.BatchSize, options.Dimensions);
        }

        using var network = Fnet.Create(plan.Architecture, plan.Options.Seed);
        var run = new StructureTrainer(network, options).Train(sampler, validation, plan.RunDirectory, progress, cancellationToken);
        if (!run.Completed)
        {
            return new TrainedStructureModel(run, split, null, null);
        }

        var manifest = ModelManifest.Describe(Card(plan), plan.Architecture) with
        {
            Training = Summary(plan, split, run),
            InputDistribution = InputDistribution.Describe(split.Train.Select(pair => Load(pair).Signal)),
        };
        var bundle = new ModelBundle(manifest, network);
        bundle.Save(plan.BundleDirectory);
        EvaluationReport? test = null;
        if (split.Test.Count > 0)
        {
            double? noise = plan.ControlsDirectory is null ? null : ControlImages.NoiseVariance(plan.ControlsDirectory);
            // Evaluate the saved bundle itself, so the recorded metrics belong to exactly these weights.
            using var predictor = new StructurePredictor(ModelBundle.Load(plan.BundleDirectory),
                new PredictionOptions { Threads = plan.Options.Threads });
            test = ModelEvaluation.Evaluate(predictor, split.Test, noise, cancellationToken: cancellationToken);
            manifest = bundle.Manifest with { TestMetrics = Metrics(test) };
            new ModelBundle(manifest, network).Save(plan.BundleDirectory);
        }

        return new TrainedStructureModel(run, split, ModelBundle.ReadManifest(plan.BundleDirectory), test);
    }

    /// <summary>
    /// One training pair on the model grid: each image normalised on its own (z-score by default), then
    /// resampled to the model's voxel size (the reference's order: normalise, then resize). No padding: patches
    /// are cut inside.
    /// </summary>
    public static TrainingVolumes ToModelGrid(ImagePair pair, ModelGrid grid, string normalisation = InputNormalisation.ZScore)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(grid);
        var loaded = pair.Load();
        var signal = InputNormalisation.Apply(loaded.Signal, normalisation);
        var target = InputNormalisation.Apply(loaded.Target, normalisation);
        if (loaded.VoxelSize is { } from && grid.VoxelSize is { } to)
        {
            signal = Resampling.Resample(signal, from, to, grid.Axes);
            target = Resampling.Resample(target, from, to, grid.Axes);
        }

        return new TrainingVolumes(loaded.Name, signal, target);
    }

    private static ModelGrid Grid(StructureTrainingPlan plan) => plan.Architecture.Dimensions == 3
        ? new ModelGrid(plan.ModelVoxelSize, plan.Architecture.SpatialMultiple)
        : new ModelGrid(plan.ModelVoxelSize, plan.Architecture.SpatialMultiple, Axes: SpatialAxes.YX);

    // The split is written into the run folder; a resumed run reuses it even if the CSV changed since.
    private static TrainTestSplit RecordedSplit(StructureTrainingPlan plan)
    {
        var train = Path.Combine(plan.RunDirectory, TrainCsv);
        var test = Path.Combine(plan.RunDirectory, TestCsv);
        if (File.Exists(train))
        {
            return new TrainTestSplit(PairsCsv.Read(train), File.Exists(test) && File.ReadLines(test).Skip(1).Any() ? PairsCsv.Read(test) : [],
                plan.SplitSeed, plan.TrainFraction);
        }

        var split = TrainTestSplit.Create(PairsCsv.Read(plan.PairsCsvPath), plan.SplitSeed, plan.TrainFraction);
        PairsCsv.Write(train, split.Train);
        PairsCsv.Write(test, split.Test);
        return split;
    }

    private static ModelCard Card(StructureTrainingPlan plan) => plan.Architecture.Dimensions == 3
        ? new ModelCard(plan.Structure, plan.InputModality) { VoxelSize = plan.ModelVoxelSize, Normalisation = plan.Normalisation }
        : new ModelCard(plan.Structure, plan.InputModality) { PixelSizeMicrometres = plan.ModelVoxelSize?.X, Normalisation = plan.Normalisation };

    private static TrainingSummary Summary(StructureTrainingPlan plan, TrainTestSplit split, TrainingRun run)
    {
        var options = plan.Options;
        var patch = options.Patch;
        return new TrainingSummary
        {
            PatchSize = options.Dimensions == 3 ? [patch.Z, patch.Y, patch.X] : [patch.Y, patch.X],
            BatchSize = options.BatchSize,
            Iterations = run.LastIteration,
            ComputeMinutes = Math.Round(run.Compute.TotalMinutes, 2),
            BudgetMinutes = options.Budget?.TotalMinutes,
            Augmentation = options.Augmentation.Describe(),
            Loss = options.Loss.ToString(),
            LearningRateSchedule = options.Schedule.ToString(),
            ValidationShare = options.ValidationShare,
            Selection = options.Selection.ToString(),
            BatchNormPatches = options.BatchNormPatches,
            WeightAverageDecay = options.WeightAverageDecay,
            SelectedIteration = run.SelectedIteration,
            SelectedValidationLoss = run.SelectedValidation?.Loss,
            SelectedValidationR = run.SelectedValidation?.R,
            TrainImages = split.Train.Count,
            TestImages = split.Test.Count,
            SplitSeed = split.Seed,
            SourceCsv = Path.GetFileName(plan.PairsCsvPath),
        };
    }

    private static TestMetrics Metrics(EvaluationReport report) => new()
    {
        PerImage = report.Images.Where(i => i.PearsonR is not null).Select(i => new ImageScore(i.Image, i.PearsonR!.Value, i.CMax)).ToArray(),
        PearsonMedian = report.PearsonSummary?.Median,
        PearsonLowerQuartile = report.PearsonSummary?.LowerQuartile,
        PearsonUpperQuartile = report.PearsonSummary?.UpperQuartile,
        CMaxMean = report.CMax?.MeanCMax,
    };
}
