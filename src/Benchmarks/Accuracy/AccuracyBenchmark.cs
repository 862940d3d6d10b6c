using System.Diagnostics;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>
/// Trains every task with the paper's recipe and LabelFree's under the same compute budget, for several seeds,
/// and measures the Pearson r of each run's model on the task's test region at several times of the budget:
/// the accuracy a user gets for the training time they can afford, on real images.
/// </summary>
public static class AccuracyBenchmark
{
    public static AccuracyReport Run(AccuracyBenchmarkOptions options, Action<AccuracyRun>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<AccuracyRun>();
        var tasks = AccuracyTask.Shared.Where(t => options.TaskFilter is null || t.Name.Contains(options.TaskFilter, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var task in tasks)
        {
            var data = task.Load(options.RealDataFolder);
            var folder = Path.Combine(options.WorkFolder, Slug(task.Name));
            var pairs = WriteTrainingPair(data, task.NominalVoxelSize, folder);
            foreach (var recipe in new[] { TrainingRecipe.Paper, TrainingRecipe.Recommended })
            {
                foreach (var seed in options.Seeds)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var runFolder = new AccuracyRunFolder(Path.Combine(folder, $"{recipe.Name}-seed{seed}"), task, recipe, seed, options);
                    var run = Train(task, recipe, seed, data, pairs, runFolder, options, cancellation);
                    runs.Add(run);
                    progress?.Invoke(run);
                }
            }
        }

        return AccuracyReport.Summarise(options, runs);
    }

    private static AccuracyRun Train(AccuracyTask task, TrainingRecipe recipe, int seed, AccuracyTaskData data, string pairs, AccuracyRunFolder folder,
        AccuracyBenchmarkOptions options, CancellationToken cancellation)
    {
        folder.Prepare();
        if (folder.FinishedRun() is { } finished)
        {
            return finished;
        }

        var times = options.Checkpoints.Select(f => TimeSpan.FromMinutes(options.Minutes * f)).ToArray();
        var training = recipe.Apply(TrainingOptions.PaperDefaults(task.Dimensions) with
        {
            Patch = task.Patch,
            BatchSize = task.BatchSize,
            Iterations = int.MaxValue,
            CheckpointEvery = 50,
            BufferSize = 1,
            Seed = seed,
            Threads = options.Threads,
            Budget = TimeSpan.FromMinutes(options.Minutes),
            Snapshots = times,
        });
        var plan = new StructureTrainingPlan
        {
            PairsCsvPath = pairs,
            Structure = "fluorescence",
            Architecture = task.Architecture,
            ModelVoxelSize = task.NominalVoxelSize,
            Options = training,
            Normalisation = recipe.Normalisation,
            TrainFraction = 1,
            SplitSeed = seed,
            RunDirectory = Path.Combine(folder.Path, "run"),
            BundleDirectory = Path.Combine(folder.Path, "bundle"),
        };
        var trained = StructureModelTraining.Run(plan, cancellationToken: cancellation);
        cancellation.ThrowIfCancellationRequested();
        var r = times.Select(t => Score(plan, TrainingSnapshots.PathOf(plan.RunDirectory, t), data, task, options.Threads, augment: false).R).ToArray();
        var plain = Score(plan, weights: null, data, task, options.Threads, augment: false);
        var augmented = Score(plan, weights: null, data, task, options.Threads, augment: true);
        var run = new AccuracyRun(task.Name, recipe.Name, seed, times.Select(t => t.TotalMinutes).ToArray(), r, trained.Run.LastIteration,
            trained.Run.SelectedIteration, augmented.R, plain.Seconds, augmented.Seconds);
        folder.Finish(run);
        return run;
    }

    // The test r of the bundle, with the weights of a snapshot when one is named.
    private static (double R, double Seconds) Score(StructureTrainingPlan plan, string? weights, AccuracyTaskData data, AccuracyTask task, int threads, bool augment)
    {
        var bundle = ModelBundle.Load(plan.BundleDirectory);
        if (weights is not null)
        {
            bundle.Network.load(weights);
        }

        using var predictor = new StructurePredictor(bundle, new PredictionOptions { Threads = threads, TestTimeAugmentation = augment });
        var clock = Stopwatch.StartNew();
        var prediction = predictor.Predict(data.TestSignal, task.NominalVoxelSize);
        var seconds = clock.Elapsed.TotalSeconds;
        var r = PearsonCorrelation.Between(prediction.Volume, data.TestTarget).R
            ?? throw new InvalidDataException("The test region's target is constant: no correlation.");
        return (r, seconds);
    }

    private static string WriteTrainingPair(AccuracyTaskData data, VoxelSize? voxelSize, string folder)
    {
        Directory.CreateDirectory(folder);
        var signal = Path.Combine(folder, "train_signal.ome.tiff");
        var target = Path.Combine(folder, "train_target.ome.tiff");
        OmeTiffWriter.Write(Hyperstack.FromVolume(data.TrainSignal, voxelSize), signal);
        OmeTiffWriter.Write(Hyperstack.FromVolume(data.TrainTarget, voxelSize), target);
        var pairs = Path.Combine(folder, "train.csv");
        PairsCsv.Write(pairs, [new ImagePair(signal, target)]);
        return pairs;
    }

    private static string Slug(string name) =>
        new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-').Replace("--", "-", StringComparison.Ordinal);
}
