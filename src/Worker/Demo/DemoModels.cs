using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;
using LabelFree.Pipeline.Training;
using LabelFree.Worker.Cli;

namespace LabelFree.Worker.Demo;

/// <summary>
/// Trains the demo's structure models: simulates the training fields (every field carries a channel per
/// structure), then trains one small fnet per structure on them with a progress bar, writing a model bundle
/// per structure under <c>{folder}/models/{structure}</c>.
/// </summary>
public static class DemoModels
{
    /// <returns>The bundle folder of each structure.</returns>
    public static IReadOnlyDictionary<string, string> Train(DemoPlan plan, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var fieldsFolder = Path.Combine(folder, "training");
        Console.WriteLine($"simulating {plan.TrainingFields} training fields ({plan.StackShape}) in {fieldsFolder}");
        var fields = SimulatedDataset.WriteTransmittedLight(fieldsFolder, plan.Scene(plan.Seed), plan.TrainingFields);
        var bundles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var structure in DemoPlan.Structures)
        {
            var bundle = Path.Combine(folder, "models", structure);
            var trainingPlan = new StructureTrainingPlan
            {
                PairsCsvPath = fields.PairsCsvByStructure[structure],
                Structure = structure,
                Architecture = plan.Architecture,
                ModelVoxelSize = VoxelSize.PaperIsotropic,

                // Every field trains: the batch's quality-control stacks are the held-out test, scored by the worker.
                TrainFraction = 1,
                Options = TrainingOptions.PaperDefaults(3) with
                {
                    Patch = plan.Patch,
                    BatchSize = plan.BatchSize,
                    Iterations = plan.Iterations,
                    CheckpointEvery = plan.Iterations,
                    BufferSize = plan.TrainingFields,
                    Seed = (int)(plan.Seed % int.MaxValue),
                },
                RunDirectory = bundle + ".run",
                BundleDirectory = bundle,
            };
            Console.WriteLine(
                $"training '{structure}' (depth {plan.Architecture.Depth}, mult_chan {plan.Architecture.MultChan}, " +
                $"batch {plan.BatchSize} of {plan.Patch}) for {plan.Iterations} iterations");
            var result = TrainingProgressDisplay.Run(progress => StructureModelTraining.Run(trainingPlan, progress, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            Console.WriteLine($"  trained in {result.Run.Elapsed:mm\\:ss}; bundle {bundle}");
            bundles[structure] = bundle;
        }

        return bundles;
    }
}
