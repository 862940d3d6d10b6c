using System.CommandLine;
using System.Globalization;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Training;
using Spectre.Console;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree train`: pairs CSV in, structure model bundle out, by the paper's recipe or LabelFree's (<see cref="TrainingRecipe"/>), each part overridable.</summary>
public static class TrainVerb
{
    public static Command Create()
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "CSV of registered pairs: signal,target[,signal_channel,target_channel][,voxel_z_um,voxel_y_um,voxel_x_um].", Required = true }.AcceptExistingOnly();
        var structure = new Option<string>("--structure") { Description = "What the model predicts (e.g. dna, membrane); the channel name of its predictions.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the model bundle (model.json + weights.pt).", Required = true };
        var run = new Option<DirectoryInfo?>("--run") { Description = "Run folder for train.csv/test.csv, losses.csv and the checkpoint (default: <out>.run)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run folder's checkpoint exactly where it stopped." };
        var dims = new Option<int>("--dims") { Description = "3 for z-stacks (paper: bright-field -> fluorescence), 2 for images (paper: EM -> IF).", DefaultValueFactory = _ => 3 };
        dims.AcceptOnlyFromAmong("2", "3");
        var iterations = new Option<int>("--iterations") { Description = "Mini-batch iterations.", DefaultValueFactory = _ => 50_000 };
        var batch = new Option<int?>("--batch") { Description = "Patches per mini-batch (default 24 for 3D, 32 for 2D)." };
        var patch = new Option<VolumeShape?>("--patch") { Description = "Patch size Z,Y,X (3D, default 32,64,64) or Y,X (2D, default 256,256); multiples of 2^depth.", CustomParser = CliValues.Shape };
        var depth = new Option<int>("--depth") { Description = "U-Net depth (down-samplings).", DefaultValueFactory = _ => 4 };
        var multChan = new Option<int>("--mult-chan") { Description = "Channels at the top level of the U-Net.", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate (betas 0.5, 0.999).", DefaultValueFactory = _ => 0.001 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Iterations between checkpoints and validation losses.", DefaultValueFactory = _ => 500 };
        var buffer = new Option<int>("--buffer") { Description = "Training images held in memory at once.", DefaultValueFactory = _ => 30 };
        var bufferSwitch = new Option<int>("--buffer-switch") { Description = "Patches between buffer switches (0: never, as the paper in effect).", DefaultValueFactory = _ => 0 };
        var trainFraction = new Option<double>("--train-fraction") { Description = "Share of pairs used for training; the rest is the test set.", DefaultValueFactory = _ => 0.75 };
        var splitSeed = new Option<int>("--split-seed") { Description = "Seed of the train/test split.", DefaultValueFactory = _ => 42 };
        var seed = new Option<int>("--seed") { Description = "Seed of weight initialisation and patch positions.", DefaultValueFactory = _ => 0 };
        var voxelSize = new Option<VoxelSize?>("--voxel-size") { Description = "The model's grid Z,Y,X in µm (3D default 0.29 isotropic; 2D default: images used at their own sampling).", CustomParser = CliValues.VoxelSize };
        var modality = new Option<string>("--modality") { Description = "Input modality recorded in the bundle: BrightField, Dic or Em.", DefaultValueFactory = _ => "BrightField" };
        modality.AcceptOnlyFromAmong("BrightField", "Dic", "Em");
        var controls = new Option<DirectoryInfo?>("--controls") { Description = "Control images (same settings, no label): adds C_max to the test metrics." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var minutes = new Option<double?>("--minutes") { Description = "Compute budget: stop cleanly (checkpoint and bundle) after this many minutes of CPU time per thread, i.e. wall minutes on idle cores; --iterations still caps the run." };
        var recipe = new Option<string>("--recipe") { Description = "Defaults of the recipe options below: labelfree (plane and intensity augmentation, a 0.15 validation strip choosing the weights by r, batch-norm statistics from 32 patches per checkpoint, cosine schedule: higher test r on every real task of bench accuracy, see the README) or paper (pytorch_fnet's).", DefaultValueFactory = _ => "labelfree" };
        recipe.AcceptOnlyFromAmong("paper", "labelfree");
        var augment = new Option<string[]?>("--augment") { Description = "Random patch transforms: plane (flips and transposes in YX), depth (Z flips, 3D), intensity (gain/offset jitter of the signal), or none.", AllowMultipleArgumentsPerToken = true };
        augment.AcceptOnlyFromAmong("none", "plane", "depth", "intensity");
        var validationShare = new Option<double?>("--validation-share") { Description = "Share of each training image (a strip at high X) held out for validation; 0 validates on test-pair patches, for the record only." };
        var select = new Option<string?>("--select") { Description = "Which weights become the model: last (the paper), best-r (highest validation Pearson r) or best-loss (lowest validation loss); best-* need a validation share." };
        select.AcceptOnlyFromAmong("last", "best-r", "best-loss");
        var batchNormPatches = new Option<int?>("--batch-norm-patches") { Description = "Recompute the batch-norm statistics from this many unaugmented training patches at every checkpoint, for that checkpoint's weights (0: the paper's running averages)." };
        var averageWeights = new Option<double?>("--average-weights") { Description = "Measure, keep and deliver a moving average of the weights with this decay per step (0.99: about the last 100 steps) instead of one step's weights; needs --batch-norm-patches. 0: off (the paper)." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning rate: constant (the paper) or cosine (down to 0 over the run)." };
        schedule.AcceptOnlyFromAmong("constant", "cosine");
        var loss = new Option<string?>("--loss") { Description = "mse (the paper) or l1." };
        loss.AcceptOnlyFromAmong("mse", "l1");
        var normalisation = new Option<string?>("--normalisation") { Description = "Per-image normalisation of signal and target, recorded in the bundle and applied at prediction: zscore (the paper) or percentile (1 to 99.8, as CARE)." };
        normalisation.AcceptOnlyFromAmong([.. InputNormalisation.Known]);

        var command = new Command("train", "Train a structure model (fnet U-Net) on registered pairs, evaluate it on the held-out pairs and write a model bundle.")
        {
            pairs, structure, output, run, resume, dims, iterations, batch, patch, depth, multChan, learningRate, checkpointEvery,
            buffer, bufferSwitch, trainFraction, splitSeed, seed, voxelSize, modality, controls, threads,
            minutes, recipe, augment, validationShare, select, batchNormPatches, averageWeights, schedule, loss, normalisation,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var dimensions = parsed.GetValue(dims);
            var paper = TrainingOptions.PaperDefaults(dimensions);
            var chosen = parsed.GetValue(recipe) == "labelfree" ? TrainingRecipe.Recommended : TrainingRecipe.Paper;
            var recipeOptions = chosen.Apply(paper);
            var options = recipeOptions with
            {
                Patch = parsed.GetValue(patch) ?? paper.Patch,
                BatchSize = parsed.GetValue(batch) ?? paper.BatchSize,
                Iterations = parsed.GetValue(iterations),
                LearningRate = parsed.GetValue(learningRate),
                CheckpointEvery = parsed.GetValue(checkpointEvery),
                BufferSize = parsed.GetValue(buffer),
                BufferSwitchEvery = parsed.GetValue(bufferSwitch),
                Seed = parsed.GetValue(seed),
                Threads = parsed.GetValue(threads),
                Budget = parsed.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : null,
                Augmentation = parsed.GetValue(augment) is { Length: > 0 } parts ? AugmentationOf(parts) : recipeOptions.Augmentation,
                ValidationShare = parsed.GetValue(validationShare) ?? recipeOptions.ValidationShare,
                Selection = parsed.GetValue(select) switch
                {
                    "last" => CheckpointSelection.Last,
                    "best-r" => CheckpointSelection.HighestValidationCorrelation,
                    "best-loss" => CheckpointSelection.LowestValidationLoss,
                    _ => recipeOptions.Selection,
                },
                BatchNormPatches = parsed.GetValue(batchNormPatches) ?? recipeOptions.BatchNormPatches,
                WeightAverageDecay = parsed.GetValue(averageWeights) ?? recipeOptions.WeightAverageDecay,
                Schedule = parsed.GetValue(schedule) switch
                {
                    "constant" => LearningRateSchedule.Constant,
                    "cosine" => LearningRateSchedule.Cosine,
                    _ => recipeOptions.Schedule,
                },
                Loss = parsed.GetValue(loss) switch
                {
                    "mse" => TrainingLoss.MeanSquaredError,
                    "l1" => TrainingLoss.MeanAbsoluteError,
                    _ => recipeOptions.Loss,
                },
            };
            var architecture = (dimensions == 3 ? FnetArchitecture.Paper3D : FnetArchitecture.Paper2D) with
            {
                Depth = parsed.GetValue(depth),
                MultChan = parsed.GetValue(multChan),
            };
            Usage(options.Validate);
            Usage(architecture.Validate);
            var bundle = parsed.GetValue(output)!.FullName;
            var plan = new StructureTrainingPlan
            {
                PairsCsvPath = parsed.GetValue(pairs)!.FullName,
                Structure = parsed.GetValue(structure)!,
                InputModality = parsed.GetValue(modality)!,
                Architecture = architecture,
                ModelVoxelSize = parsed.GetValue(voxelSize) ?? (dimensions == 3 ? VoxelSize.PaperIsotropic : null),
                Options = options,
                Normalisation = parsed.GetValue(normalisation) ?? chosen.Normalisation,
                TrainFraction = parsed.GetValue(trainFraction),
                SplitSeed = parsed.GetValue(splitSeed),
                RunDirectory = parsed.GetValue(run)?.FullName ?? bundle.TrimEnd('/') + ".run",
                BundleDirectory = bundle,
                ControlsDirectory = parsed.GetValue(controls)?.FullName,
            };
            CheckResume(plan.RunDirectory, parsed.GetValue(resume));
            return Train(plan);
        }, cancellation));
        return command;
    }

    private static int Train(StructureTrainingPlan plan)
    {
        // Training ends by evaluating the saved bundle on the held-out pairs: both paths must be right.
        VerbCompute.Require(plan.Options.Threads, ComputePath.Float32Training, ComputePath.Float32Inference);
        using var interrupt = new InterruptSignal(CancellationToken.None);
        Console.WriteLine($"training '{plan.Structure}' ({plan.Architecture.Dimensions}D, depth {plan.Architecture.Depth}, mult_chan {plan.Architecture.MultChan}) " +
            $"for {plan.Options.Iterations} iterations" +
            (plan.Options.Budget is { } budget ? FormattableString.Invariant($" or {budget.TotalMinutes:0.##} compute minutes") : string.Empty) +
            $"; run folder {plan.RunDirectory}");
        var result = TrainingProgressDisplay.Run(progress => StructureModelTraining.Run(plan, progress, interrupt.Token));
        if (!result.Run.Completed)
        {
            Console.WriteLine($"interrupted: checkpoint written at iteration {result.Run.LastIteration}; continue with the same command plus --resume");
            return ExitCodes.Failure;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {result.Run.LastIteration - result.Run.StartIteration} iterations in {result.Run.Elapsed:hh\\:mm\\:ss} ({result.Run.Compute.TotalMinutes:0.0} compute minutes); " +
            $"split {result.Split.Train.Count} train / {result.Split.Test.Count} test; bundle {plan.BundleDirectory}"));
        if (result.Run.SelectedValidation is { } selected)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kept the weights of iteration {result.Run.SelectedIteration} ({plan.Options.Selection}: validation loss {selected.Loss:0.0000}, r {selected.R:0.000})"));
        }

        if (result.Test is { PearsonSummary: { } summary } test)
        {
            Console.WriteLine(
                FormattableString.Invariant($"test Pearson r: median {summary.Median:0.000} (quartiles {summary.LowerQuartile:0.000}-{summary.UpperQuartile:0.000}, n={summary.Count})") +
                (test.CMax?.MeanCMax is { } cmax ? FormattableString.Invariant($"; mean C_max {cmax:0.000}") : string.Empty));
        }

        return ExitCodes.Ok;
    }

    private static Augmentation AugmentationOf(IReadOnlyCollection<string> parts) => new()
    {
        PlaneSymmetries = parts.Contains("plane"),
        DepthFlips = parts.Contains("depth"),
        IntensityJitter = parts.Contains("intensity"),
    };

    private static void CheckResume(string runDirectory, bool resume)
    {
        var hasCheckpoint = TrainingCheckpoint.Exists(runDirectory);
        if (hasCheckpoint && !resume)
        {
            throw new UsageException($"{runDirectory} already holds a checkpoint: add --resume to continue it, or choose another --run folder.");
        }

        if (resume && !hasCheckpoint)
        {
            throw new UsageException($"--resume was given but {runDirectory} holds no checkpoint.");
        }
    }

    private static void Usage(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException error)
        {
            throw new UsageException(error.Message);
        }
    }
}
