using System.Diagnostics;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using TorchSharp;

namespace LabelFree.Benchmarks;

/// <summary>
/// Measures how well the fnet network uses this machine: the FLOPs of one forward pass, the GEMM rate
/// the cores reach, how much of it one-pass and tiled prediction reach in float32 and bfloat16, how
/// closely bfloat16 and tiled predictions agree with the float32 one-pass prediction, peak memory, and
/// the time of a training step. Takes minutes: a benchmark to run by hand, not a test (build Release:
/// the tile blending is C#).
/// </summary>
/// <remarks>
/// Where the time goes (48x240x368, 2-core AMD EPYC Zen 5 dev machine, quiet, 2026-11-25):
/// fp32 one pass 10.3-10.4 s = 19.1-19.5 CPU-s, of which 7.0-8.0 s in the kernel: libtorch frees every
/// layer's output, glibc hands blocks that large back to the OS, and the next layer's first touch of fresh
/// pages runs at about 2.5 GB/s on this VM (a rewrite runs at 36 GB/s). oneDNN's blocked (nChw16c)
/// convolutions also reorder every activation in and out of PyTorch's NCDHW layout. Converting the conv
/// and transposed-conv weights to channels-last strides makes oneDNN work in NDHWC without reorders:
/// fp32 7.40 s instead of 10.43 s, bf16 3.71 s instead of 5.19 s (outputs equal to float rounding, peak memory up to 4 % higher). Keeping freed memory in
/// the allocator (MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised) on top gives fp32 5.2 s, bf16
/// 2.4 s, but fragmentation doubles peak RSS, so it is not a default. Neither change is in the predictor yet.
/// </remarks>
public static class ModelBenchmark
{
    public static ModelBenchmarkReport Run(ModelBenchmarkOptions options, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = LoadAverage.Read();
        torch.set_num_threads(options.Threads);

        var gemm = new List<GemmMeasurement>();
        foreach (var precision in options.Precisions)
        {
            foreach (var size in options.GemmSizes)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report($"GEMM {PrecisionTypes.ShortName(precision)} {size}x{size}");
                gemm.Add(GemmBenchmark.Measure(precision, size, options.GemmWarmUpRuns, options.GemmTimedRuns));
            }
        }

        GemmMeasurement Reference(Precision precision) => gemm.Where(g => g.Precision == precision).MaxBy(g => g.GigaflopsPerSecond)!;

        using var network = SignalPreservingNetwork.Create(options.Architecture, options.Seed);
        var stack = BenchmarkStack.Create(options.Stack, options.Seed);
        var wholeBudget = options.Stack.VoxelCount;
        var tiledBudget = TiledCaseBudget(options);
        var predictions = new List<PredictionMeasurement>();
        var outputs = new Dictionary<string, Volume>();
        foreach (var precision in options.Precisions)
        {
            var tiled = options.Tiling with { Precision = precision, Threads = options.Threads, MaxVoxelsPerPass = tiledBudget };
            foreach (var (kind, caseOptions) in new[] { ("whole", tiled with { MaxVoxelsPerPass = wholeBudget }), ("tiled", tiled) })
            {
                cancellation.ThrowIfCancellationRequested();
                var name = $"{PrecisionTypes.ShortName(precision)} {kind}";
                progress?.Report($"prediction {name}, {options.Stack} ({options.PredictionRuns} run(s))");
                var outcome = PredictionBenchmark.Measure(name, network, stack, caseOptions, options.PredictionRuns, Reference(precision), options.MemorySamplingInterval);
                predictions.Add(outcome.Measurement);
                outputs[name] = outcome.Prediction;
            }
        }

        var reference = outputs["fp32 whole"];

        // bf16's error is measured against fp32; a tiled case's seams against one pass at its own precision.
        var agreements = new[] { ("bf16 whole", "fp32 whole"), ("fp32 tiled", "fp32 whole"), ("bf16 tiled", "bf16 whole") }
            .Where(pair => outputs.ContainsKey(pair.Item1) && outputs.ContainsKey(pair.Item2))
            .Select(pair => Agreement.Between($"{pair.Item1} vs {pair.Item2}", outputs[pair.Item1], outputs[pair.Item2]))
            .ToList();
        var outputDeviation = StandardDeviation(reference.Voxels);
        outputs.Clear();

        CostCurve? costCurve = null;
        if (options.MeasureCostCurve)
        {
            costCurve = CostCurveBenchmark.Measure(options, Reference(Precision.Float32), progress, cancellation);
        }

        var training = new List<TrainingStepMeasurement>();
        foreach (var trainingCase in options.TrainingCases)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"training step, batch {trainingCase.BatchSize} of {options.TrainingPatch} ({trainingCase.WarmUpSteps} warm-up + {trainingCase.TimedSteps} timed)");
            training.Add(TrainingStepBenchmark.Measure(options.Architecture, options.TrainingPatch, trainingCase.BatchSize,
                trainingCase.WarmUpSteps, trainingCase.TimedSteps, options.Seed, options.MemorySamplingInterval));
        }

        return new ModelBenchmarkReport
        {
            Started = started,
            TotalSeconds = clock.Elapsed.TotalSeconds,
            Machine = MachineDescription.Current(),
            LoadAtStart = loadAtStart,
            LoadAtEnd = LoadAverage.Read(),
            Network = options.Architecture.ToString(),
            Parameters = network.ParameterCount,
            Weights = SignalPreservingNetwork.Description,
            Stack = options.Stack,
            ForwardFlops = FnetFlops.Forward(options.Architecture, options.Stack),
            Gemm = gemm,
            MklTreatsCpuAsIntel = MklDispatch.TreatsCpuAsIntel(),
            Predictions = predictions,
            Agreements = agreements,
            OutputStandardDeviation = outputDeviation,
            Training = training,
            CostCurve = costCurve,
            SeamMargin = options.Tiling.Margin ?? ReceptiveField.SeamMargin(options.Architecture),
            ReceptiveFieldRadius = ReceptiveField.Radius(options.Architecture),
            MaxVoxelsPerPass = options.Tiling.MaxVoxelsPerPass,
            TiledCaseVoxelsPerPass = tiledBudget,
            ProcessHighWaterMarkBytes = ResidentMemory.HighWaterMarkBytes(),
            Compute = ComputeRecord.Current,
        };
    }

    /// <summary>
    /// The tiled cases' budget: the policy's, or just below the stack's size where the policy would take the
    /// stack in one pass, so the cases always measure tiling, as it happens to any stack just over the budget.
    /// </summary>
    public static long TiledCaseBudget(ModelBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Min(options.Tiling.MaxVoxelsPerPass, options.Stack.VoxelCount - 1);
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
