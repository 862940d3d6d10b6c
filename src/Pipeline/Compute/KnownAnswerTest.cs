using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// Checks one compute path of this process against the known answers, through the product's own code
/// (<see cref="TiledPredictor"/> for inference, <see cref="TrainingStep"/> for training), plus the fnet
/// convolutions at the paper's channel counts (<see cref="ProductWidthLayers"/>), repeatedly and
/// each time from a fresh network on a refilled polluted heap, so that a fault that strikes at random or
/// a read of unwritten memory shows up (the product widths once: which kernels run does not change).
/// Errors are relative: inference outputs to the reference output's standard deviation; losses, gradients
/// and batch-norm statistics to the reference's largest magnitude; Adam-updated weights in learning rates;
/// the product-width layers to the reference's largest magnitude.
/// </summary>
public static class KnownAnswerTest
{
    /// <summary>
    /// float32 against float64 truth: rounding alone stays below 1e-5; 1e-3 leaves room for other
    /// summation orders and still catches any real fault (a wrong tap, a stale block) by orders of magnitude.
    /// </summary>
    public const double Float32Tolerance = 1e-3;

    /// <summary>
    /// bfloat16 keeps 8 significant bits: a correct pass of the small known-answer nets differs by up to
    /// about 7 % of the output's spread at its worst voxel; a wrong one (r 0.17 was seen) by more than 100 %.
    /// </summary>
    public const double BFloat16Tolerance = 0.25;

    public static int DefaultRepetitions(ComputePath path) => path == ComputePath.Float32Training ? 10 : 5;

    public static double Tolerance(ComputePath path) => path == ComputePath.BFloat16Inference ? BFloat16Tolerance : Float32Tolerance;

    /// <param name="level">The level this process runs at, recorded in the verdict.</param>
    /// <param name="injectFault">
    /// Fault injection for tests of the level selection: what the path computed is corrupted (one output
    /// voxel, one gradient value) before it is compared, as a kernel fault would.
    /// </param>
    public static PathVerdict Run(ComputePath path, string level, int repetitions, int threads, bool injectFault = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        torch.set_num_threads(threads);
        var cases = KnownAnswers.Cases();
        var tolerance = Tolerance(path);
        var clock = Stopwatch.StartNew();
        var maxError = 0.0;
        string? failure = null;
        for (var repetition = 1; repetition <= repetitions && failure is null; repetition++)
        {
            var checks = cases.Select(knownAnswer => (knownAnswer.Name, Check: (Func<KnownAnswerCheck>)(() => path switch
                {
                    ComputePath.Float32Inference => Inference(knownAnswer, Precision.Float32, threads, injectFault),
                    ComputePath.BFloat16Inference => Inference(knownAnswer, Precision.BFloat16, threads, injectFault),
                    ComputePath.Float32Training => Training(knownAnswer, injectFault),
                    _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown compute path"),
                })))
                // Product widths test which kernels oneDNN picks, which does not change between repetitions.
                .Concat(ProductWidthLayers.All.Where(_ => repetition == 1)
                    .Select(layer => (layer.Name, Check: (Func<KnownAnswerCheck>)(() => layer.Check(path)))));
            PollutedHeap.Refill();
            foreach (var (name, run) in checks)
            {
                var check = run();
                maxError = double.IsNaN(check.Error) ? double.NaN : Math.Max(maxError, check.Error);
                var problem = check.Problem ?? (check.Error <= tolerance ? null : $"{check.Worst} is off by {check.Error:G3} (tolerance {tolerance:G3})");
                if (problem is not null)
                {
                    failure = $"{name}, repetition {repetition}: {problem}";
                    break;
                }
            }
        }

        return new PathVerdict(path, level, threads, failure is null, maxError, tolerance, repetitions, clock.Elapsed.TotalSeconds, failure);
    }

    private static KnownAnswerCheck Inference(KnownAnswerCase knownAnswer, Precision precision, int threads, bool injectFault)
    {
        var input = knownAnswer.Input;
        var expected = knownAnswer.Output.RequireFloats("output");
        using var network = knownAnswer.CreateNetwork();
        using var predictor = new TiledPredictor(network, new PredictionOptions { Precision = precision, Threads = threads });
        var shape = input.Shape;
        var output = new float[expected.Length];
        if (knownAnswer.Architecture.Dimensions == 2)
        {
            // A 2D network predicts a volume plane by plane: the batch becomes the planes.
            var planes = new VolumeShape((int)shape[0], (int)shape[2], (int)shape[3]);
            predictor.Predict(new Volume(planes, input.RequireFloats("input"))).Voxels.CopyTo(output, 0);
        }
        else
        {
            var volume = new VolumeShape((int)shape[2], (int)shape[3], (int)shape[4]);
            for (var item = 0; item < shape[0]; item++)
            {
                var voxels = input.RequireFloats("input").AsSpan(item * (int)volume.VoxelCount, (int)volume.VoxelCount).ToArray();
                predictor.Predict(new Volume(volume, voxels)).Voxels.CopyTo(output, item * (int)volume.VoxelCount);
            }
        }

        var deviation = StandardDeviation(expected);
        if (injectFault)
        {
            output[output.Length / 2] += (float)deviation;
        }

        if (output.Any(v => !float.IsFinite(v)))
        {
            return KnownAnswerCheck.Failed("the output holds NaN or infinite values");
        }

        var error = expected.Select((e, i) => Math.Abs(output[i] - e)).Max() / deviation;
        return new KnownAnswerCheck(error, "the output", null);
    }

    private static KnownAnswerCheck Training(KnownAnswerCase knownAnswer, bool injectFault)
    {
        using var scope = NewDisposeScope();
        using var network = knownAnswer.CreateNetwork();
        network.train();
        var options = new TrainingOptions();
        using var step = new TrainingStep(network, options);
        var signal = torch.tensor(knownAnswer.Input.RequireFloats("input"), knownAnswer.Input.ShapeArray);
        var target = torch.tensor(knownAnswer.Target.RequireFloats("target"), knownAnswer.Target.ShapeArray);
        double loss;
        try
        {
            loss = step.Run(signal, target, iteration: 1);
        }
        catch (NonFiniteTrainingException error)
        {
            return KnownAnswerCheck.Failed(error.Finding);
        }

        var worst = new KnownAnswerCheck(Math.Abs(loss - knownAnswer.Loss) / Math.Abs(knownAnswer.Loss), "the loss", null);
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // A conv bias followed by training-mode batch norm has a true gradient of exactly 0 (the norm removes
        // the mean), so float32 leaves pure rounding there; gradients are judged against at least 1 % of the
        // network's largest gradient, not against their own zero.
        var gradientFloor = 0.01 * parameters.Keys.Max(name => knownAnswer.Gradient(name).RequireFloats(name).Max(Math.Abs));
        foreach (var (name, parameter) in parameters)
        {
            var reference = knownAnswer.Gradient(name).RequireFloats(name);
            var gradient = Values(parameter.grad!);
            if (injectFault)
            {
                gradient[0] += (float)gradientFloor;
            }

            worst = worst.Worse(RelativeError(gradient, reference, $"the gradient of {name}", gradientFloor));
            var updated = knownAnswer.Updated(name).RequireFloats(name);
            worst = worst.Worse(UpdateError(Values(parameter), updated, reference, 0.01 * gradientFloor, options.LearningRate, $"the Adam update of {name}"));
        }

        foreach (var (name, buffer) in network.state_dict().Where(entry => !parameters.ContainsKey(entry.Key)))
        {
            var reference = knownAnswer.Updated(name);
            if (reference.Integers is { } counts)
            {
                var count = buffer.cpu().data<long>().ToArray();
                if (!count.SequenceEqual(counts))
                {
                    return KnownAnswerCheck.Failed($"{name} is {string.Join(",", count)}, not {string.Join(",", counts)}");
                }

                continue;
            }

            worst = worst.Worse(RelativeError(Values(buffer), reference.RequireFloats(name), $"the updated {name}", float.Epsilon));
        }

        return worst;
    }

    /// <summary>
    /// Adam's first step moves each weight by lr x g / (|g| + eps): the sign of its gradient times the
    /// learning rate. Where a reference gradient is within rounding of zero that sign is arbitrary, so
    /// only weights whose gradient is at least 1e-3 of the tensor's largest, and above
    /// <paramref name="floor"/>, are compared.
    /// </summary>
    private static KnownAnswerCheck UpdateError(float[] actual, float[] expected, float[] gradient, double floor, double learningRate, string what)
    {
        if (actual.Any(v => !float.IsFinite(v)))
        {
            return KnownAnswerCheck.Failed($"{what} left NaN or infinite weights");
        }

        var threshold = Math.Max(1e-3 * gradient.Max(Math.Abs), floor);
        var error = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (Math.Abs(gradient[i]) >= threshold)
            {
                error = Math.Max(error, Math.Abs(actual[i] - expected[i]) / learningRate);
            }
        }

        return new KnownAnswerCheck(error, what, null);
    }

    private static KnownAnswerCheck RelativeError(float[] actual, float[] expected, string what, double floor)
    {
        if (actual.Length != expected.Length)
        {
            return KnownAnswerCheck.Failed($"{what} has {actual.Length} values, not {expected.Length}");
        }

        if (actual.Any(v => !float.IsFinite(v)))
        {
            return KnownAnswerCheck.Failed($"{what} holds NaN or infinite values");
        }

        var scale = Math.Max(expected.Max(Math.Abs), floor);
        var error = expected.Select((e, i) => Math.Abs(actual[i] - e)).Max() / scale;
        return new KnownAnswerCheck(error, what, null);
    }

    private static float[] Values(Tensor tensor) => tensor.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
