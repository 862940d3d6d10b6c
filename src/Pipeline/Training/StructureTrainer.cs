using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Trains one structure model: Adam on the MSE between the network's output and the target for
/// random patch batches, with losses.csv, validation loss and a checkpoint every
/// <see cref="TrainingOptions.CheckpointEvery"/> iterations. A run folder with a checkpoint resumes
/// exactly where it stopped; cancellation saves a checkpoint at the last finished iteration.
/// </summary>
public sealed class StructureTrainer
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly TrainingOptions _options;

    public StructureTrainer(nn.Module<Tensor, Tensor> network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _network = network;
        _options = options;
    }

    /// <param name="sampler">Training patches.</param>
    /// <param name="validationSampler">Creates a held-out sampler; called afresh (same seed) at each checkpoint so every validation loss uses the same patches. Null: no validation loss.</param>
    /// <param name="runDirectory">Where losses.csv and the checkpoint live.</param>
    public TrainingRun Train(BufferedPatchSampler sampler, Func<BufferedPatchSampler>? validationSampler, string runDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (sampler.Patch != _options.Patch)
        {
            throw new ArgumentException($"The sampler cuts {sampler.Patch} patches but the options say {_options.Patch}.", nameof(sampler));
        }

        Directory.CreateDirectory(runDirectory);
        torch.set_num_threads(_options.Threads);
        using var step = new TrainingStep(_network, _options);
        var optimizer = step.Optimizer;
        var log = new LossLog(runDirectory);
        var start = 0;
        if (TrainingCheckpoint.Exists(runDirectory))
        {
            var checkpoint = TrainingCheckpoint.Load(runDirectory, _network, optimizer);
            start = checkpoint.Iteration;
            sampler.Restore(checkpoint.Sampler);
        }

        log.TruncateAfter(start);
        var clock = Stopwatch.StartNew();
        var iteration = start;
        _network.train();
        while (iteration < _options.Iterations)
        {
            if (cancellation.IsCancellationRequested)
            {
                Checkpoint(runDirectory, optimizer, log, iteration, sampler);
                return new TrainingRun(start, iteration, Completed: false, clock.Elapsed);
            }

            iteration++;
            double trainLoss;
            try
            {
                trainLoss = Step(sampler, step, iteration);
            }
            catch (NonFiniteTrainingException)
            {
                // The losses up to the failure show whether it diverged or broke at once.
                log.Flush();
                throw;
            }

            double? validationLoss = null;
            var atCheckpoint = iteration % _options.CheckpointEvery == 0 || iteration == _options.Iterations;
            if (atCheckpoint && validationSampler is not null)
            {
                validationLoss = Validate(validationSampler());
            }

            log.Add(new LossRecord(iteration, trainLoss, validationLoss));
            if (atCheckpoint)
            {
                Checkpoint(runDirectory, optimizer, log, iteration, sampler);
            }

            progress?.Report(new TrainingProgress(iteration, _options.Iterations, trainLoss, validationLoss, clock.Elapsed));
        }

        return new TrainingRun(start, iteration, Completed: true, clock.Elapsed);
    }

    private double Step(BufferedPatchSampler sampler, TrainingStep step, int iteration)
    {
        using var scope = NewDisposeScope();
        var batch = sampler.NextBatch(_options.BatchSize);
        return step.Run(ToTensor(batch.Signal, batch.Count), ToTensor(batch.Target, batch.Count), iteration);
    }

    private double Validate(BufferedPatchSampler validation)
    {
        _network.eval();
        try
        {
            using var noGrad = no_grad();
            var total = 0.0;
            for (var b = 0; b < _options.ValidationBatches; b++)
            {
                using var scope = NewDisposeScope();
                var batch = validation.NextBatch(_options.BatchSize);
                var prediction = _network.forward(ToTensor(batch.Signal, batch.Count));
                total += nn.functional.mse_loss(prediction, ToTensor(batch.Target, batch.Count)).item<float>();
            }

            return total / _options.ValidationBatches;
        }
        finally
        {
            _network.train();
        }
    }

    private void Checkpoint(string runDirectory, OptimizerHelper optimizer, LossLog log, int iteration, BufferedPatchSampler sampler)
    {
        log.Flush();
        new TrainingCheckpoint(iteration, sampler.Position).Save(runDirectory, _network, optimizer);
    }

    private Tensor ToTensor(float[] voxels, int count)
    {
        var p = _options.Patch;
        long[] shape = _options.Dimensions == 2 ? [count, 1, p.Y, p.X] : [count, 1, p.Z, p.Y, p.X];
        return torch.tensor(voxels, shape);
    }
}
