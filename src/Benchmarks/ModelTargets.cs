using System.Globalization;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Benchmarks;

/// <summary>
/// The issue's targets (issue 12) for this machine, each checked for every case it applies to, a miss
/// with the reason the measurements give: fp32 prediction at >= 75 % of the hardware fp32 rate (MKL's
/// GEMM with its vendor check bypassed, GFLOP per CPU-second; MKL as shipped when that could not be measured); bf16 at >= 70 %
/// of the bf16 GEMM with r(bf16, fp32) >= 0.999; tiled vs one-pass prediction within 1 % of the output's
/// std at every voxel, r >= 0.9999, time <= 1.1x, peak memory <= 2 GB; kernel time <= 10 % of a case's CPU
/// time; cost growing with stack size at an exponent <= 1.05.
/// </summary>
public static class ModelTargets
{
    public const double Float32HardwareFraction = 0.75;
    public const double BFloat16GemmFraction = 0.70;
    public const double BFloat16Correlation = 0.999;
    public const double TiledMaxDeviation = 0.01;
    public const double TiledCorrelation = 0.9999;

    /// <summary>Bytes (decimal GB, the stricter reading of "2 GB").</summary>
    public const double TiledPeakBytes = 2e9;

    public const double TiledTimeRatio = 1.1;
    public const double KernelFraction = 0.10;
    public const double VoxelExponent = 1.05;

    public static IReadOnlyList<BenchmarkTarget> Evaluate(ModelBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var targets = new List<BenchmarkTarget>();
        var predictions = report.Predictions;
        foreach (var measured in predictions)
        {
            targets.Add(measured.Precision == Precision.Float32 ? Float32Speed(report, measured) : new BenchmarkTarget(
                $"{measured.Name} prediction speed, fraction of bf16 GEMM", measured.FractionOfGemm, TargetDirection.AtLeast, BFloat16GemmFraction, "%",
                measured.IsTiled ? UncreditedTileVoxels(measured) : null));
        }

        if (report.Agreements.FirstOrDefault(a => a.Name.StartsWith("bf16 whole", StringComparison.Ordinal)) is { } bfloat16)
        {
            targets.Add(new BenchmarkTarget("r(bf16, fp32) of one-pass predictions", bfloat16.R, TargetDirection.AtLeast, BFloat16Correlation, ""));
        }

        foreach (var tiled in predictions.Where(p => p.IsTiled))
        {
            if (report.Agreements.FirstOrDefault(a => a.Name.StartsWith(tiled.Name + " vs", StringComparison.Ordinal)) is { } agreement)
            {
                var seam = tiled.Margin < report.SeamMargin
                    ? Invariant($"no tile within {report.TiledCaseVoxelsPerPass:N0} voxels leaves room for the seam margin {report.SeamMargin}, so it was cut to {tiled.Margin}")
                    : Invariant($"the margin {tiled.Margin} covers the receptive-field radius {report.ReceptiveFieldRadius}, so tiles see what one pass sees; what differs is {PrecisionTypes.ShortName(tiled.Precision)} rounding, done in another order by passes of another shape");
                targets.Add(new BenchmarkTarget($"{tiled.Name} vs one pass, largest voxel difference / output std", agreement.RelativeMaxDifference,
                    TargetDirection.AtMost, TiledMaxDeviation, "%", seam));
                targets.Add(new BenchmarkTarget($"r({tiled.Name}, one pass)", agreement.R, TargetDirection.AtLeast, TiledCorrelation, "", seam));
            }

            var whole = predictions.FirstOrDefault(p => !p.IsTiled && p.Precision == tiled.Precision && p.Stack == tiled.Stack);
            if (whole is not null)
            {
                targets.Add(new BenchmarkTarget($"{tiled.Name} time / {whole.Name} time (CPU time)", tiled.BestCpuSeconds / whole.BestCpuSeconds,
                    TargetDirection.AtMost, TiledTimeRatio, "x", TilingCost(report, tiled)));
            }

            targets.Add(new BenchmarkTarget($"{tiled.Name} peak resident memory", tiled.Memory.PeakBytes, TargetDirection.AtMost, TiledPeakBytes, "GB",
                Invariant($"the process held {tiled.Memory.BaselineBytes / 1e9:0.00} GB before this case (runtime, libtorch, weights, the stack, the outputs kept for comparison and what the allocator kept: {report.Allocator ?? "not recorded"}) and the {tiled.TileShape} passes added {tiled.Memory.AboveBaselineBytes / 1e9:0.00} GB ({tiled.Memory.AboveBaselineBytes / (double)tiled.TileShape.VoxelCount:0} bytes per voxel); a process predicting only in tiles of that size needs its baseline plus what one pass adds, and smaller tiles push more of the stack's voxels twice (the tiled time above)")));
        }

        foreach (var measured in predictions)
        {
            targets.Add(new BenchmarkTarget($"{measured.Name} kernel (system) time / CPU time", measured.KernelFraction, TargetDirection.AtMost, KernelFraction, "%",
                KernelTimeCause(report)));
        }

        if (report.CostCurve is { } curve)
        {
            var largest = curve.Sizes.MaxBy(p => p.Voxels)!;
            targets.Add(new BenchmarkTarget("cost curve: exponent of CPU time vs voxels", curve.VoxelExponent, TargetDirection.AtMost, VoxelExponent, "",
                largest.TileCount > 1
                    ? Invariant($"the largest stack ({largest.Stack}) exceeds the {report.MaxVoxelsPerPass:N0}-voxel budget and is tiled, pushing {largest.VoxelOverhead:0.00}x its voxels through the network (seam margins); within the budget cost is linear")
                    : "per-voxel cost rises with size (cache and memory bandwidth)"));
        }

        return targets;
    }

    private static BenchmarkTarget Float32Speed(ModelBenchmarkReport report, PredictionMeasurement measured)
    {
        var hardware = report.GemmVendorCheckBypassed;
        var shipped = measured.FractionOfGemm;
        if (hardware is null)
        {
            return new BenchmarkTarget($"{measured.Name} prediction speed, fraction of fp32 GEMM (MKL as shipped; bypassed rate not measured)", shipped,
                TargetDirection.AtLeast, Float32HardwareFraction, "%", report.GemmBypassNote);
        }

        // Per CPU-second: on a machine shared with other work the wall-clock rates of the GEMM (measured earlier,
        // in another process) and of the prediction see different loads; the CPU time each needs barely moves.
        var fraction = measured.Flops / measured.BestCpuSeconds / 1e9 / hardware.GigaflopsPerCpuSecond;
        var reason = measured.IsTiled
            ? Invariant($"{shipped * 100:0} % of MKL as shipped; {UncreditedTileVoxels(measured)}")
            : Invariant($"{shipped * 100:0} % of MKL as shipped ({measured.GemmGigaflopsPerSecond:0} GFLOP/s): the convolutions are oneDNN's, which MKL's vendor check does not reach, and they run at {measured.GigaflopsPerSecond:0} GFLOP/s against the {hardware.GigaflopsPerSecond:0} the same cores give MKL's GEMM bypassed; kernel time {measured.KernelFraction * 100:0} % of CPU time");
        return new BenchmarkTarget($"{measured.Name} prediction speed, fraction of hardware fp32 rate (MKL GEMM, vendor check bypassed; per CPU-second)", fraction,
            TargetDirection.AtLeast, Float32HardwareFraction, "%", reason);
    }

    private static string UncreditedTileVoxels(PredictionMeasurement tiled) =>
        Invariant($"tiles push {tiled.VoxelOverhead:0.00}x the stack's voxels, which the rate (one whole-stack pass of FLOPs) does not credit");

    private static string KernelTimeCause(ModelBenchmarkReport report) => report.Allocator?.StartsWith("tcmalloc", StringComparison.Ordinal) == true
        ? Invariant($"page faults on memory the allocator ({report.Allocator}) mapped afresh: a release rate above 0 hands freed spans back to the kernel")
        : Invariant($"page faults: the process runs on {report.Allocator ?? "an unrecorded allocator"}, which hands large freed tensors back to the kernel; labelfree starts on tcmalloc when libtcmalloc-minimal4 is installed (scripts/install-prerequisites.sh; the container image has it)");

    private static string TilingCost(ModelBenchmarkReport report, PredictionMeasurement tiled) => Invariant(
        $"{tiled.TileCount} passes of {tiled.TileShape} push {tiled.VoxelOverhead:0.00}x the stack's voxels: with the seam margin {tiled.Margin} a tiled axis needs tiles of at least {(2 * tiled.Margin) + 16} voxels, and the {report.TiledCaseVoxelsPerPass:N0}-voxel budget leaves tiles barely longer than that, so neighbours mostly overlap (the case's budget is {(report.TiledCaseVoxelsPerPass < report.MaxVoxelsPerPass ? "set just below the stack so that it is tiled at all" : "the product's memory bound")}; a stack within the {report.MaxVoxelsPerPass:N0}-voxel budget is one pass)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
