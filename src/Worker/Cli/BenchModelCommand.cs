using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LabelFree.Compute;
using LabelFree.Pipeline.Benchmarks;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Hosting;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree bench model [--json] [--quick]`: FLOPs of the paper's 3D network, this machine's GEMM rate,
/// one-pass and tiled prediction speed in fp32 and bf16 against it, bf16/fp32 agreement, peak memory and
/// training-step time, each target marked PASS or MISS. Progress goes to stderr, the report to stdout.
/// </summary>
public static class BenchModelCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object." };
        var quick = new Option<bool>("--quick") { Description = "Smoke test in a few minutes: a 16x208x224 stack in two tiles, small cost-curve stacks, no paper-batch training step." };
        var runs = new Option<int?>("--runs") { Description = "Timed runs per prediction case; the best counts (default 2)." };
        var threads = new Option<int?>("--threads") { Description = $"libtorch threads (default: {Environment.ProcessorCount}, the processor count)." };
        var stack = new Option<string?>("--stack") { Description = "Stack shape ZxYxX, each a multiple of 16 (default 48x240x368)." };
        var maxVoxels = new Option<long?>("--max-voxels") { Description = $"Voxel budget per pass of the tiled cases and the cost curve (default: the product's, {Pipeline.Prediction.PredictionOptions.DefaultMaxVoxelsPerPass:N0})." };
        var margin = new Option<int?>("--margin") { Description = "Seam margin in voxels of the tiled cases (default: the product's, from the network's receptive field)." };
        var noCostCurve = new Option<bool>("--no-cost-curve") { Description = "Skip the cost curve (stack sizes, structures, paper-size throughput; minutes at full size)." };
        var noTraining = new Option<bool>("--no-training") { Description = "Skip the training-step timings (e.g. while trying tile shapes)." };
        var noLevels = new Option<bool>("--no-level-costs") { Description = "Skip timing fp32 forward and training at every other compute level that passes." };
        var bf16 = new Option<bool>("--bf16") { Description = "Measure bf16 even on a CPU without bf16 instructions (emulated: very slow)." };
        var command = new Command("model",
            "Benchmark the fnet network: GEMM reference, prediction speed (fp32/bf16, one pass/tiled), memory, training step, " +
            "at the compute level the self-test chooses, and what every other passing level costs.")
        {
            json, quick, runs, threads, stack, maxVoxels, margin, noTraining, noLevels, noCostCurve, bf16,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            token => Task.FromResult(Run(
                Options(parsed.GetValue(quick), parsed.GetValue(runs), parsed.GetValue(threads), parsed.GetValue(stack), parsed.GetValue(maxVoxels),
                    parsed.GetValue(margin), parsed.GetValue(noTraining)) with
                {
                    Precisions = Precisions(parsed.GetValue(bf16), parsed.GetValue(threads) ?? Environment.ProcessorCount),
                    MeasureCostCurve = !parsed.GetValue(noCostCurve),
                },
                parsed.GetValue(json), LevelArguments(parsed.GetValue(quick), parsed.GetValue(runs), parsed.GetValue(threads), parsed.GetValue(stack)),
                !parsed.GetValue(noLevels), token)),
            cancellation));
        return command;
    }

    /// <summary>
    /// `labelfree bench level` (hidden): fp32 forward and one training step at this process's compute level,
    /// as JSON. bench model starts it once per level, with LABELFREE_COMPUTE_LEVEL set.
    /// </summary>
    public static Command CreateLevel()
    {
        var quick = new Option<bool>("--quick");
        var runs = new Option<int?>("--runs");
        var threads = new Option<int?>("--threads");
        var stack = new Option<string?>("--stack");
        var command = new Command("level", "Time fp32 forward and a training step at this process's compute level (started by bench model).")
        {
            quick, runs, threads, stack,
        };
        command.Hidden = true;
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var options = Options(parsed.GetValue(quick), parsed.GetValue(runs), parsed.GetValue(threads), parsed.GetValue(stack), null, null, noTraining: false);
            VerbCompute.Require(options.Threads, ComputePath.Float32Inference, ComputePath.Float32Training);
            Console.WriteLine(JsonSerializer.Serialize(LevelCostBenchmark.Measure(options), CliJson.Options).ReplaceLineEndings(" "));
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    /// <summary>
    /// `labelfree bench gemm` (hidden): the best fp32 GEMM over the given sizes, as JSON. bench model starts it
    /// with MKL's vendor check bypassed (<see cref="MklBypassGemmProcess"/>).
    /// </summary>
    public static Command CreateGemm()
    {
        var threads = new Option<int?>("--threads");
        var sizes = new Option<string>("--sizes") { DefaultValueFactory = _ => "2048,4096" };
        var command = new Command("gemm", "Time the fp32 GEMM reference in this process (started by bench model).") { threads, sizes };
        command.Hidden = true;
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var defaults = new ModelBenchmarkOptions();
            TorchSharp.torch.set_num_threads(parsed.GetValue(threads) ?? defaults.Threads);
            var best = parsed.GetValue(sizes)!.Split(',', StringSplitOptions.TrimEntries)
                .Select(size => GemmBenchmark.Measure(Precision.Float32, int.Parse(size, CultureInfo.InvariantCulture), defaults.GemmWarmUpRuns, defaults.GemmTimedRuns))
                .MaxBy(g => g.GigaflopsPerSecond);
            Console.WriteLine(JsonSerializer.Serialize(best, CliJson.Options).ReplaceLineEndings(" "));
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    internal static ModelBenchmarkOptions Options(bool quick, int? runs, int? threads, string? stack, long? maxVoxels, int? margin, bool noTraining)
    {
        var options = quick ? ModelBenchmarkOptions.Quick : new ModelBenchmarkOptions();
        if (runs is { } runCount)
        {
            options = options with { PredictionRuns = runCount };
        }

        if (threads is { } threadCount)
        {
            options = options with { Threads = threadCount };
        }

        if (stack is not null)
        {
            options = options with { Stack = ParseShape(stack, "--stack") };
        }

        if (maxVoxels is { } budget)
        {
            options = options with { Tiling = options.Tiling with { MaxVoxelsPerPass = budget } };
        }

        if (margin is { } marginVoxels)
        {
            options = options with { Tiling = options.Tiling with { Margin = marginVoxels } };
        }

        if (noTraining)
        {
            options = options with { TrainingCases = [] };
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        return options;
    }

    private static int Run(ModelBenchmarkOptions options, bool json, IReadOnlyList<string> levelArguments, bool levelCosts, CancellationToken cancellation)
    {
        VerbCompute.Require(options.Threads, [.. ComputePaths.All.Where(path => path != ComputePath.BFloat16Inference || options.Precisions.Contains(Precision.BFloat16))]);
        var clock = Stopwatch.StartNew();
        var progress = new SynchronousProgress(step =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,5:0} s] {step}")));
        var report = ModelBenchmark.Run(options, progress, cancellation) with { Allocator = AllocatorLaunch.Current };
        if (options.Precisions.Contains(Precision.Float32))
        {
            progress.Report("GEMM fp32 with MKL's vendor check bypassed, in a process of its own");
            var (bypassed, note) = MklBypassGemmProcess.Measure(options.GemmSizes, options.Threads, cancellation);
            report = report with { GemmVendorCheckBypassed = bypassed, GemmBypassNote = note };
        }

        if (levelCosts)
        {
            report = report with { LevelCosts = LevelCostProcesses.Measure(options.Threads, levelArguments, progress, cancellation) };
        }

        Console.WriteLine(json ? JsonSerializer.Serialize(report, CliJson.Options) : ModelBenchmarkText.Format(report));
        return ExitCodes.Ok;
    }

    // Without bf16 instructions oneDNN and MKL emulate bf16 at a few GFLOP/s: hours for the paper's stack, and nothing to learn.
    // Where the CPU has them but bf16 fails its self-test at the unrestricted level, measuring bf16 would make the gate drop
    // every path (fp32 too) to a level without them: the fp32 figures would be a fallback's and bf16 emulated. So bf16 is
    // measured only where it passes at the default level, or when --bf16 asks for it.
    private static IReadOnlyList<Precision> Precisions(bool forceBFloat16, int threads)
    {
        if (forceBFloat16)
        {
            return [Precision.Float32, Precision.BFloat16];
        }

        if (!CpuDescription.Current.Flags.Overlaps(["avx512_bf16", "amx_bf16"]))
        {
            return [Precision.Float32];
        }

        var settings = ComputeSettings.FromEnvironment() with { Threads = threads };
        var verdicts = LevelSelection.Verify(ComputeLevel.Default, [ComputePath.BFloat16Inference], settings, fresh: false);
        if (verdicts.All(v => v.Passed))
        {
            return [Precision.Float32, Precision.BFloat16];
        }

        Console.Error.WriteLine("bf16 not measured: it fails its self-test at the default level on this machine (--bf16 measures it anyway, at a fallback level)");
        return [Precision.Float32];
    }

    private static List<string> LevelArguments(bool quick, int? runs, int? threads, string? stack)
    {
        var arguments = new List<string>();
        if (quick)
        {
            arguments.Add("--quick");
        }

        foreach (var (name, value) in new[] { ("--runs", runs?.ToString(CultureInfo.InvariantCulture)), ("--threads", threads?.ToString(CultureInfo.InvariantCulture)), ("--stack", stack) })
        {
            if (value is not null)
            {
                arguments.AddRange([name, value]);
            }
        }

        return arguments;
    }

    private static VolumeShape ParseShape(string text, string option)
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0))
        {
            throw new UsageException($"{option} takes a shape ZxYxX of positive integers (e.g. 48x240x368), not '{text}'.");
        }

        var sizes = parts.Select(part => int.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        return new VolumeShape(sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool and could reorder or lag lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
