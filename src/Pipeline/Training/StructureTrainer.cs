using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Trains one structure model: Adam on the chosen loss between the network's output and the target for
/// random patch batches, with losses.csv, batch-norm statistics recomputed (when asked), validation and a
/// checkpoint every <see cref="TrainingOptions.CheckpointEvery"/> iterations, until the iterations or the compute budget run
/// out. A run folder with a checkpoint resumes exactly where it stopped; cancellation saves a checkpoint at
/// the last finished iteration. With weight averaging, the moving average of the weights is what is measured,
/// kept and delivered. At the end the network holds the selected weights (last, or best by a validation criterion).
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
    /// <param name="validation">Held-out data measured at every checkpoint; null: no validation loss.</param>
    /// <param name="runDirectory">Where losses.csv, the checkpoint, the best weights and snapshots live.</param>
    public TrainingRun Train(BufferedPatchSampler sampler, IValidationSet? validation, string runDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (sampler.Patch != _options.Patch)
        {
            throw new ArgumentException($"The sampler cuts {sampler.Patch} patches but the options say {_options.Patch}.", nameof(sampler));
        }

        var selecting = _options.Selection != CheckpointSelection.Last;
        if (selecting && validation is not ValidationRegions)
        {
            throw new ArgumentException($"Selecting by {_options.Selection} needs validation regions held out of the training images.", nameof(validation));
        }

        Directory.CreateDirectory(runDirectory);
        torch.set_num_threads(_options.Threads);
        using var step = new TrainingStep(_network, _options);
        var optimizer = step.Optimizer;
        var log = new LossLog(runDirectory);
        var best = selecting ? new SelectedWeights(runDirectory, _options.Selection) : null;
        using var average = _options.WeightAverageDecay > 0 ? new AveragedWeights(_network, _options.WeightAverageDecay) : null;
        var start = 0;
        var carried = TimeSpan.Zero;
        if (TrainingCheckpoint.Exists(runDirectory))
        {
            var checkpoint = TrainingCheckpoint.Load(runDirectory, _network, optimizer, average);
            start = checkpoint.Iteration;
            carried = TimeSpan.FromSeconds(checkpoint.ComputeSeconds);
            sampler.Restore(checkpoint.Sampler);
        }

        log.TruncateAfter(start);
        var clock = Stopwatch.StartNew();
        var compute = new ComputeClock(_options.Threads, carried);
        var snapshots = new Queue<TimeSpan>(_options.Snapshots.Order().Where(t => !File.Exists(TrainingSnapshots.PathOf(runDirectory, t))));
        var iteration = start;
        _network.train();
        // Decided once per iteration: the iteration that ends the run must be the one that took the last checkpoint.
        var last = Finished(iteration, compute.Used);
        while (!last)
        {
            if (cancellation.IsCancellationRequested)
            {
                Checkpoint(runDirectory, optimizer, average, log, iteration, sampler, compute.Used);
                return new TrainingRun(start, iteration, Completed: false, clock.Elapsed, compute.Used);
            }

            iteration++;
            optimizer.ParamGroups.ToList().ForEach(g => g.LearningRate = LearningRate(iteration, compute.Used));
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

            average?.Update();
            var used = compute.Used;
            last = Finished(iteration, used);
            var snapshotDue = snapshots.Count > 0 && used >= snapshots.Peek();
            var atCheckpoint = iteration % _options.CheckpointEvery == 0 || last || snapshotDue;
            ValidationMeasurement? measured = null;
            if (atCheckpoint)
            {
                // The averaged weights, when training averages, are the ones measured, kept and snapshotted.
                average?.Swap();
                try
                {
                    if (_options.BatchNormPatches > 0)
                    {
                        BatchNormStatistics.Recompute(_network, sampler, _options.BatchNormPatches, _options.BatchSize, _options.Dimensions);
                    }

                    if (validation is not null)
                    {
                        measured = Validate(validation);
                        best?.Offer(iteration, measured, _network);
                    }

                    while (snapshots.Count > 0 && used >= snapshots.Peek())
                    {
                        SaveSnapshot(TrainingSnapshots.PathOf(runDirectory, snapshots.Dequeue()), best);
                    }
                }
                finally
                {
                    average?.Swap();
                }
            }

            log.Add(new LossRecord(iteration, trainLoss, measured?.Loss, measured?.R));
            if (atCheckpoint)
            {
                Checkpoint(runDirectory, optimizer, average, log, iteration, sampler, used);
            }

            progress?.Report(new TrainingProgress(iteration, _options.Iterations, trainLoss, measured, clock.Elapsed, used, _options.Budget));
        }

        if (best is { Iteration: not null })
        {
            best.LoadInto(_network);
            return new TrainingRun(start, iteration, Completed: true, clock.Elapsed, compute.Used, best.Iteration, best.Measurement);
        }

        // The last iteration was a checkpoint, so the batch-norm statistics are already the averaged weights'.
        average?.Swap();
        return new TrainingRun(start, iteration, Completed: true, clock.Elapsed, compute.Used, iteration);
    }

    private bool Finished(int iteration, TimeSpan used) =>
        iteration >= _options.Iterations || (_options.Budget is { } budget && used >= budget);

    /// <summary>The rate for <paramref name="iteration"/>: constant, or half a cosine over the run's iterations or budget, whichever is further along.</summary>
    private double LearningRate(int iteration, TimeSpan used)
    {
        if (_options.Schedule == LearningRateSchedule.Constant)
        {
            return _options.LearningRate;
        }

        var progress = Math.Max((iteration - 1.0) / _options.Iterations, _options.Budget is { } budget ? used / budget : 0);
        return _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }

    private double Step(BufferedPatchSampler sampler, TrainingStep step, int iteration)
    {
        using var scope = NewDisposeScope();
        var batch = sampler.NextBatch(_options.BatchSize);
        return step.Run(PatchTensors.Of(batch.Signal, batch.Count, batch.Patch, _options.Dimensions),
            PatchTensors.Of(batch.Target, batch.Count, batch.Patch, _options.Dimensions), iteration);
    }

    private ValidationMeasurement Validate(IValidationSet validation)
    {
        _network.eval();
        try
        {
            using var noGrad = no_grad();
            return validation.Measure(_network, _options.Loss);
        }
        finally
        {
            _network.train();
        }
    }

    // The weights the run would deliver if it ended now: the selected ones when selecting, else the current ones.
    private void SaveSnapshot(string path, SelectedWeights? best)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (best is { Iteration: not null })
        {
            File.Copy(best.NetworkPath, path, overwrite: true);
        }
        else
        {
            _network.save(path);
        }
    }

    private void Checkpoint(string runDirectory, OptimizerHelper optimizer, AveragedWeights? average, LossLog log, int iteration, BufferedPatchSampler sampler, TimeSpan used)
    {
        log.Flush();
        new TrainingCheckpoint(iteration, sampler.Position, used.TotalSeconds).Save(runDirectory, _network, optimizer, average);
    }
}
