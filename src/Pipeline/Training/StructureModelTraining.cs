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
        var sampler = new BufferedPatchSampler(split.Train.Count, i => ToModelGrid(split.Train[i], grid), plan.Options.Patch,
            plan.Options.BufferSize, plan.Options.BufferSwitchEvery, (ulong)plan.Options.Seed);
        Func<BufferedPatchSampler>? validation = split.Test.Count == 0
            ? null
            : () => new BufferedPatchSampler(split.Test.Count, i => ToModelGrid(split.Test[i], grid), plan.Options.Patch,
                split.Test.Count, 0, (ulong)plan.Options.Seed + 1);

        using var network = Fnet.Create(plan.Architecture, plan.Options.Seed);
        var run = new StructureTrainer(network, plan.Options).Train(sampler, validation, plan.RunDirectory, progress, cancellationToken);
        if (!run.Completed)
        {
            return new TrainedStructureModel(run, split, null, null);
        }

        var manifest = ModelManifest.Describe(Card(plan), plan.Architecture) with
        {
            Training = Summary(plan, split),
            InputDistribution = InputDistribution.Describe(split.Train.Select(pair => ToModelGrid(pair, grid).Signal)),
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
    /// One training pair on the model grid: each image z-scored on its own, then resampled to the model's
    /// voxel size (the reference's order: normalise, then resize). No padding: patches are cut inside.
    /// </summary>
    public static TrainingVolumes ToModelGrid(ImagePair pair, ModelGrid grid)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(grid);
        var loaded = pair.Load();
        var signal = ZScore.Normalize(loaded.Signal);
        var target = ZScore.Normalize(loaded.Target);
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
        ? new ModelCard(plan.Structure, plan.InputModality) { VoxelSize = plan.ModelVoxelSize }
        : new ModelCard(plan.Structure, plan.InputModality) { PixelSizeMicrometres = plan.ModelVoxelSize?.X };

    private static TrainingSummary Summary(StructureTrainingPlan plan, TrainTestSplit split)
    {
        var patch = plan.Options.Patch;
        return new TrainingSummary
        {
            PatchSize = plan.Options.Dimensions == 3 ? [patch.Z, patch.Y, patch.X] : [patch.Y, patch.X],
            BatchSize = plan.Options.BatchSize,
            Iterations = plan.Options.Iterations,
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
