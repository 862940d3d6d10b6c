using System.Globalization;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Cli;

/// <summary>What `labelfree bench worker` measured.</summary>
public sealed record BenchReport(
    int Stacks,
    int Structures,
    string Shape,
    string VoxelSize,
    int Concurrency,
    double EndToEndSeconds,
    double PureComputeSeconds,
    IReadOnlyList<double> PureComputeRunsSeconds,
    double OverheadRatio,
    double InferenceInWorkerSeconds,
    double OverheadRatioWithinRun,
    double StacksPerHour,
    double MeanStackSeconds,
    IReadOnlyDictionary<string, double> MeanStageSeconds,
    double PeakWorkingSetMegabytes)
{
    /// <summary>The ratio the worker should stay under: its overhead around the model compute is at most 5 % (issue 12).</summary>
    public const double TargetRatio = 1.05;

    /// <summary>Inference inside the worker against the same inference alone: what the other stages' work on the same cores costs it.</summary>
    public double InferenceSlowdown => InferenceInWorkerSeconds / PureComputeSeconds;

    /// <summary>Seconds of the batch in which no stack was being inferred (inference runs one stack at a time).</summary>
    public double SecondsWithoutInference => Math.Max(0, EndToEndSeconds - InferenceInWorkerSeconds);

    /// <summary>
    /// Of <see cref="SecondsWithoutInference"/>, about what filling and draining the pipeline takes, which no
    /// overlap can hide: the first stack's download, decode and preprocessing, the last one's encode and upload.
    /// </summary>
    public double FillAndDrainSeconds => new[] { "download", "decode", "preprocess", "encode", "upload" }
        .Sum(stage => MeanStageSeconds.TryGetValue(stage, out var seconds) ? seconds : 0);

    /// <summary>Why the ratio is above its target, from the figures above; null when it is not.</summary>
    public string? ReasonAboveTarget => OverheadRatio <= TargetRatio ? null : Invariant(
        $"inference took {InferenceSlowdown:0.00}x its time alone: the other stacks' download, decode, encode and upload (and, here, the local RabbitMQ and Azurite) run on the cores its threads use; and {SecondsWithoutInference:0} s of the batch ran no inference, about {FillAndDrainSeconds:0} s of it filling and draining the pipeline (the first stack's stages before inference, the last one's after), which a {Stacks}-stack batch spreads over few stacks");

    public static BenchReport From(WorkerBenchPlan plan, TimeSpan endToEnd, IReadOnlyList<TimeSpan> pureComputeRuns, IReadOnlyList<StackPredicted> predicted)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(pureComputeRuns);
        var (stacks, structures, shape) = (plan.Stacks, plan.Structures, plan.Shape);
        // The fastest run: on a shared machine other load only ever slows a run down, so the minimum is the
        // closest to the true compute time (and makes the ratio conservative).
        var pureCompute = pureComputeRuns.Min(r => r.TotalSeconds);
        var inferenceInWorker = predicted.Sum(p => p.Timings.InferenceSeconds.Values.Sum());
        var timings = predicted.Select(p => p.Timings).ToArray();
        var stages = new Dictionary<string, double>
        {
            ["download"] = timings.Average(t => t.DownloadSeconds),
            ["decode"] = timings.Average(t => t.DecodeSeconds),
            ["preprocess"] = timings.Average(t => t.PreprocessSeconds),
            ["inference"] = timings.Average(t => t.InferenceSeconds.Values.Sum()),
            ["encode"] = timings.Average(t => t.EncodeSeconds),
            ["upload"] = timings.Average(t => t.UploadSeconds),
        };
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new BenchReport(
            stacks, structures, $"{shape.Z},{shape.Y},{shape.X}",
            string.Create(CultureInfo.InvariantCulture, $"{plan.VoxelSize.Z},{plan.VoxelSize.Y},{plan.VoxelSize.X}"), plan.Concurrency,
            endToEnd.TotalSeconds, pureCompute, pureComputeRuns.Select(r => r.TotalSeconds).ToArray(), endToEnd.TotalSeconds / pureCompute,
            inferenceInWorker, endToEnd.TotalSeconds / inferenceInWorker,
            stacks / endToEnd.TotalSeconds * 3600, timings.Average(t => t.TotalSeconds), stages,
            process.PeakWorkingSet64 / (1024.0 * 1024.0));
    }

    public string ToText()
    {
        var lines = new List<string>
        {
            Invariant($"worker benchmark: {Stacks} stacks of {Shape} voxels at {VoxelSize} µm, {Structures} structure models (fnet depth 4, 32 channels), {Concurrency} stacks in flight, RabbitMQ + Azure Blob"),
            Invariant($"  end to end:        {EndToEndSeconds:0.00} s for the batch ({StacksPerHour:0} stacks/hour)"),
            Invariant($"  pure model compute: {PureComputeSeconds:0.00} s for the same stacks (fastest of {string.Join(" s and ", PureComputeRunsSeconds.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} s, before and after)"),
            Invariant($"  ratio:             {OverheadRatio:0.000} (target <= {TargetRatio:0.00}){(OverheadRatio <= TargetRatio ? "" : "  ABOVE TARGET")}"),
            Invariant($"  within the run:    {OverheadRatioWithinRun:0.000} = end to end / the worker's own inference time ({InferenceInWorkerSeconds:0.00} s), insensitive to load drift between runs"),
            Invariant($"  per stack:         {MeanStackSeconds:0.000} s on average, by stage:"),
        };
        lines.AddRange(MeanStageSeconds.Select(s => Invariant($"    {s.Key,-11} {s.Value:0.000} s")));
        lines.Add(Invariant($"  peak memory:       {PeakWorkingSetMegabytes:0} MiB (working set of this process: worker and benchmark)"));
        if (ReasonAboveTarget is { } reason)
        {
            lines.Add("  why above target:  " + reason);
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
