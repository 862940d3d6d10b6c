using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Pipeline.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Training;

public class StructureTrainerTests(ITestOutputHelper output)
{
    private static readonly VolumeShape Patch = new(16, 16, 16);

    private static TrainingOptions Options(int iterations) => new()
    {
        Patch = Patch, BatchSize = 2, Iterations = iterations, CheckpointEvery = 3, BufferSize = 2, Threads = 1,
    };

    // A depth-1 fnet: small and quick, and its convolutions are the product's, which never run oneDNN's
    // backward-data kernel (plain nn.Conv3d layers do, and on hosts where that kernel reads unwritten memory
    // their gradients turn NaN at random: ../shared/repro/conv-backward-input).
    private static nn.Module<Tensor, Tensor> Network(long seed) =>
        Fnet.Create(FnetArchitecture.Paper3D with { Depth = 1, MultChan = 4 }, seed);

    private static TrainingVolumes Pair(int index)
    {
        var random = new Random(index);
        var shape = new VolumeShape(16, 24, 24);
        var signal = new Volume(shape);
        var target = new Volume(shape);
        for (var v = 0; v < signal.Voxels.Length; v++)
        {
            signal.Voxels[v] = (float)(random.NextDouble() * 2 - 1);
            target.Voxels[v] = 0.5f * signal.Voxels[v] + 0.1f;
        }

        return new TrainingVolumes($"pair {index}", signal, target);
    }

    private static BufferedPatchSampler Sampler() => new(3, Pair, Patch, bufferSize: 2, switchEvery: 5, seed: 17);

    [Fact]
    public void Training_lowers_the_loss_and_writes_losses_csv_with_validation_at_checkpoints()
    {
        var run = TestEnvironment.NewTempFolder();
        var options = Options(30) with { LearningRate = 0.01 };

        var result = new StructureTrainer(Network(1), options).Train(Sampler(), new HeldOutPatches(() => new BufferedPatchSampler(1, Pair, Patch, 1, 0, 3), 4, 2, 3), run);

        var losses = LossLog.Read(Path.Combine(run, LossLog.FileName));
        Assert.True(result.Completed);
        Assert.Equal(Enumerable.Range(1, 30), losses.Select(l => l.Iteration));
        Assert.Equal(new[] { 3, 6, 9, 12, 15, 18, 21, 24, 27, 30 }, losses.Where(l => l.ValidationLoss is not null).Select(l => l.Iteration));
        Assert.True(losses.TakeLast(5).Average(l => l.TrainLoss) < 0.5 * losses.Take(5).Average(l => l.TrainLoss),
            $"loss did not fall: first {losses[0].TrainLoss}, last {losses[^1].TrainLoss}");
    }

    [Fact]
    public void A_resumed_run_continues_the_same_loss_curve()
    {
        var straight = TestEnvironment.NewTempFolder();
        new StructureTrainer(Network(5), Options(6)).Train(Sampler(), null, straight);

        var interrupted = TestEnvironment.NewTempFolder();
        new StructureTrainer(Network(5), Options(3)).Train(Sampler(), null, interrupted);
        // A different initialisation proves the weights come from the checkpoint, not the seed.
        var resumed = new StructureTrainer(Network(99), Options(6)).Train(Sampler(), null, interrupted);

        Assert.Equal(3, resumed.StartIteration);
        var expected = LossLog.Read(Path.Combine(straight, LossLog.FileName));
        var actual = LossLog.Read(Path.Combine(interrupted, LossLog.FileName));
        Assert.Equal(expected.Select(l => l.Iteration), actual.Select(l => l.Iteration));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TrainLoss, actual[i].TrainLoss, 1e-5 * Math.Abs(expected[i].TrainLoss));
        }
    }

    [Fact]
    public void Cancelling_writes_a_checkpoint_at_the_last_finished_iteration()
    {
        var run = TestEnvironment.NewTempFolder();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Iteration == 4)
            {
                cancellation.Cancel();
            }
        });

        var result = new StructureTrainer(Network(2), Options(10)).Train(Sampler(), null, run, progress, cancellation.Token);

        Assert.False(result.Completed);
        Assert.Equal(4, result.LastIteration);
        Assert.True(TrainingCheckpoint.Exists(run));
        Assert.Equal(4, LossLog.Read(Path.Combine(run, LossLog.FileName)).Count);
        var resumed = new StructureTrainer(Network(2), Options(10)).Train(Sampler(), null, run);
        Assert.Equal(4, resumed.StartIteration);
        Assert.Equal(10, LossLog.Read(Path.Combine(run, LossLog.FileName)).Count);
    }

    [Theory]
    [InlineData(CheckpointSelection.LowestValidationLoss)]
    [InlineData(CheckpointSelection.HighestValidationCorrelation)]
    public void Selecting_by_validation_delivers_the_weights_of_the_best_measured_iteration(CheckpointSelection selection)
    {
        var run = TestEnvironment.NewTempFolder();
        // A learning rate far too high makes the validation figures jump about, so the best one is rarely the last.
        var options = Options(24) with
        {
            LearningRate = 0.05, ValidationShare = 0.25, Selection = selection, Patch = new VolumeShape(16, 16, 16),
        };
        var (training, validation) = ValidationRegions.Split([Pair(0), Pair(1), Pair(2)], options.ValidationShare, multiple: 2, Patch, dimensions: 3);
        var sampler = new BufferedPatchSampler(training.Count, i => training[i], Patch, 3, 0, 17);
        using var network = Network(3);

        var result = new StructureTrainer(network, options).Train(sampler, validation, run);

        var measured = LossLog.Read(Path.Combine(run, LossLog.FileName)).Where(l => l.ValidationLoss is not null).ToList();
        var best = selection == CheckpointSelection.LowestValidationLoss
            ? measured.MinBy(l => l.ValidationLoss!.Value)!
            : measured.MaxBy(l => l.ValidationR!.Value)!;
        output.WriteLine(string.Join(", ", measured.Select(l => FormattableString.Invariant($"{l.Iteration}: {l.ValidationLoss:0.0000} r {l.ValidationR:0.000}"))));
        Assert.Equal(8, measured.Count);
        Assert.Equal(best.Iteration, result.SelectedIteration);
        Assert.Equal(best.ValidationLoss!.Value, result.SelectedValidation!.Loss, 1e-12);
        Assert.Equal(best.ValidationR!.Value, result.SelectedValidation.R, 1e-12);
        // The network now holds those weights: measuring again gives their figures, not the last checkpoint's.
        network.eval();
        using (no_grad())
        {
            var again = validation.Measure(network, options.Loss);
            Assert.Equal(best.ValidationLoss!.Value, again.Loss, 1e-5);
            Assert.Equal(best.ValidationR!.Value, again.R, 1e-5);
        }
    }

    [Fact]
    public void A_compute_budget_ends_the_run_early_with_a_checkpoint_that_records_the_time_used()
    {
        var run = TestEnvironment.NewTempFolder();
        var budget = TimeSpan.FromSeconds(1);
        var options = Options(100_000) with { Budget = budget, Snapshots = [TimeSpan.FromSeconds(0.5)] };

        var result = new StructureTrainer(Network(4), options).Train(Sampler(), null, run);

        Assert.True(result.Completed);
        Assert.InRange(result.LastIteration, 1, 99_999);
        Assert.True(result.Compute >= budget, $"stopped after {result.Compute} of compute, before the budget {budget}");
        Assert.True(File.Exists(TrainingSnapshots.PathOf(run, TimeSpan.FromSeconds(0.5))), "no snapshot at 0.5 s of compute");
        Assert.Equal(result.LastIteration, LossLog.Read(Path.Combine(run, LossLog.FileName))[^1].Iteration);
        // A resumed run with the same budget has nothing left to do.
        var resumed = new StructureTrainer(Network(4), options).Train(Sampler(), null, run);
        Assert.Equal(result.LastIteration, resumed.LastIteration);
    }

    [Fact]
    public void Recomputing_batch_norm_statistics_changes_no_training_step_only_what_eval_mode_sees()
    {
        var plain = TestEnvironment.NewTempFolder();
        var recomputed = TestEnvironment.NewTempFolder();
        using var plainNetwork = Network(6);
        using var recomputedNetwork = Network(6);

        new StructureTrainer(plainNetwork, Options(9)).Train(Sampler(), null, plain);
        new StructureTrainer(recomputedNetwork, Options(9) with { BatchNormPatches = 8 }).Train(Sampler(), null, recomputed);

        var expected = LossLog.Read(Path.Combine(plain, LossLog.FileName));
        var actual = LossLog.Read(Path.Combine(recomputed, LossLog.FileName));
        Assert.Equal(expected.Select(l => l.TrainLoss), actual.Select(l => l.TrainLoss));
        Assert.Equal(plainNetwork.parameters().Select(p => p.data<float>().ToArray()), recomputedNetwork.parameters().Select(p => p.data<float>().ToArray()));
        var means = (Plain: RunningMean(plainNetwork), Recomputed: RunningMean(recomputedNetwork));
        Assert.NotEqual(means.Plain, means.Recomputed);
    }

    [Fact]
    public void Averaging_delivers_the_averaged_weights_and_a_resumed_run_continues_the_average()
    {
        var options = Options(9) with { LearningRate = 0.01, BatchNormPatches = 4, WeightAverageDecay = 0.9 };
        var straight = TestEnvironment.NewTempFolder();
        using var straightNetwork = Network(7);
        using var lastStepNetwork = Network(7);
        var interrupted = TestEnvironment.NewTempFolder();
        using var resumedNetwork = Network(99);

        new StructureTrainer(straightNetwork, options).Train(Sampler(), null, straight);
        new StructureTrainer(lastStepNetwork, options with { WeightAverageDecay = 0 }).Train(Sampler(), null, TestEnvironment.NewTempFolder());
        new StructureTrainer(Network(7), options with { Iterations = 6 }).Train(Sampler(), null, interrupted);
        new StructureTrainer(resumedNetwork, options).Train(Sampler(), null, interrupted);

        var delivered = Weights(straightNetwork);
        var lastStep = Weights(lastStepNetwork);
        var resumed = Weights(resumedNetwork);
        var largestChange = delivered.Zip(lastStep).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        var largestResumeDifference = delivered.Zip(resumed).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        output.WriteLine(FormattableString.Invariant($"averaged vs last step: {largestChange:g3}; resumed vs straight: {largestResumeDifference:g3}"));
        Assert.True(largestChange > 1e-3, $"the delivered weights are the last step's (largest difference {largestChange})");
        Assert.True(largestResumeDifference < 1e-5, $"the resumed run's average differs by {largestResumeDifference}");
    }

    [Fact]
    public void Averaging_without_batch_norm_statistics_for_the_average_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => (Options(3) with { WeightAverageDecay = 0.99 }).Validate());

        Assert.Contains("batch-norm patches", error.Message, StringComparison.Ordinal);
    }

    private static float[][] Weights(nn.Module network) => network.parameters().Select(p => p.data<float>().ToArray()).ToArray();

    private static float[] RunningMean(nn.Module network) =>
        network.modules().OfType<TorchSharp.Modules.NormBase>().First().running_mean!.data<float>().ToArray();

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
