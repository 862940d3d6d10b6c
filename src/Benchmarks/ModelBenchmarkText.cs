using System.Globalization;
using System.Text;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Benchmarks;

/// <summary>The human-readable form of a <see cref="ModelBenchmarkReport"/>: figures first, then every target with PASS or MISS.</summary>
public static class ModelBenchmarkText
{
    public static string Format(ModelBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var machine = report.Machine;
        Line(text, $"labelfree bench model, {report.Started:yyyy-MM-dd HH:mm} UTC, {report.TotalSeconds:0} s");
        Line(text, $"machine: {machine.Processor}, {machine.LogicalCores} logical cores; libtorch {machine.LibTorch} (TorchSharp {machine.TorchSharp}), {machine.Threads} intra-op / {machine.InteropThreads} inter-op threads");
        Line(text, $"load average (1/5/15 min): {Load(report.LoadAtStart)} at start, {Load(report.LoadAtEnd)} at end{LoadWarning(report)}");
        Line(text, $"compute level: {ComputeLevelLine(report.Compute)}; allocator: {report.Allocator ?? "not recorded"}");
        Line(text, $"network: {report.Network}, {report.Parameters:N0} parameters; {report.Weights}");
        Line(text, $"forward pass of {report.Stack}: {report.ForwardFlops / 1e12:0.000} TFLOP ({report.FlopsPerVoxel / 1e3:0} kFLOP per voxel, convolutions only)");
        text.AppendLine();

        if (report.Gemm.Count > 0)
        {
            var gemmRuns = report.Gemm[0];
            Line(text, $"GEMM reference (torch.matmul of square n x n matrices, best of {gemmRuns.TimedRuns} runs after {gemmRuns.WarmUpRuns} warm-up):");
        }

        foreach (var precision in report.Gemm.Select(g => g.Precision).Distinct())
        {
            var sizes = string.Join(", ", report.Gemm.Where(g => g.Precision == precision)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"n={g.MatrixSize}: {g.GigaflopsPerSecond:0.0} GFLOP/s ({g.GigaflopsPerCpuSecond:0.0} per CPU-s)")));
            Line(text, $"  {PrecisionTypes.ShortName(precision)}  {sizes}  -> reference {report.GemmReference(precision):0.0} GFLOP/s");
        }

        if (report.MklTreatsCpuAsIntel == false)
        {
            text.AppendLine("  note: libtorch's MKL does not take this CPU for an Intel one and runs its generic fp32 GEMM kernels (see MklDispatch);");
            text.AppendLine("  the shipped rate is MKL's here, not the hardware's.");
        }

        if (report.GemmVendorCheckBypassed is { } bypassed)
        {
            Line(text, $"  fp32  vendor check bypassed: n={bypassed.MatrixSize}: {bypassed.GigaflopsPerSecond:0.0} GFLOP/s ({bypassed.GigaflopsPerCpuSecond:0.0} per CPU-s) = {bypassed.GigaflopsPerSecond / report.GemmReference(Precision.Float32):0.00}x as shipped -> hardware fp32 reference");
            Line(text, $"        ({report.GemmBypassNote})");
        }
        else if (report.GemmBypassNote is not null)
        {
            Line(text, $"  fp32  vendor check bypassed: {report.GemmBypassNote}");
        }

        text.AppendLine();
        Line(text, $"prediction of {report.Stack} (best of each case's runs; GFLOP/s counts one whole-stack pass, so tile overlap costs rate):");
        Line(text, $"  {"case",-11} {"passes",-17} {"margin",7} {"voxels",7} {"time s",7} {"GFLOP/s",8} {"of GEMM",8} {"CPU s",6} {"sys s",6} {"by CPU",7} {"peak RSS",9} {"added",8}  runs s; load before -> after");
        foreach (var p in report.Predictions)
        {
            Line(text, $"  {p.Name,-11} {$"{p.TileCount} x {p.TileShape}",-17} {p.Margin,7} {p.VoxelOverhead,6:0.00}x {p.BestSeconds,7:0.00} {p.GigaflopsPerSecond,8:0.0} {p.FractionOfGemm * 100,6:0.0} % {p.BestCpuSeconds,6:0.0} {p.RunKernelSeconds.Min(),6:0.0} {p.FractionOfGemmByCpuTime * 100,5:0.0} % {Gigabytes(p.Memory.PeakBytes),9} {Gigabytes(p.Memory.AboveBaselineBytes),8}  {Seconds(p.RunSeconds)}; {Load(p.LoadBefore)} -> {Load(p.LoadAfter)}");
        }

        if (report.Predictions.All(p => p.Precision != Precision.BFloat16))
        {
            text.AppendLine("  bf16: not measured: this CPU has no bf16 instructions (avx512_bf16 or amx_bf16), or bf16 fails its self-test at");
            text.AppendLine("  the default level, so it would run emulated far below the fp32 rate; --bf16 measures it anyway");
        }

        text.AppendLine("  (CPU s: all threads; sys s: the kernel's share, mostly page faults on freshly mapped memory; by CPU: the GEMM fraction");
        text.AppendLine("  from CPU time, which holds up under other load but flatters serial stretches)");
        foreach (var p in report.Predictions.Where(p => p.Precision == Precision.Float32 && report.GemmVendorCheckBypassed is not null))
        {
            Line(text, $"  {p.Name}: {p.GigaflopsPerSecond:0.0} GFLOP/s = {p.FractionOfGemm * 100:0.0} % of MKL's fp32 GEMM as shipped, {p.GigaflopsPerSecond / report.GemmVendorCheckBypassed!.GigaflopsPerSecond * 100:0.0} % with its vendor check bypassed (per CPU-second: {p.FractionOfGemmByCpuTime * 100:0.0} % and {p.Flops / p.BestCpuSeconds / 1e9 / report.GemmVendorCheckBypassed!.GigaflopsPerCpuSecond * 100:0.0} %); kernel {p.KernelFraction * 100:0.0} % of CPU time");
        }

        Line(text, $"  tiling policy: one pass up to {report.MaxVoxelsPerPass:N0} voxels; beyond, the tile shape with the least work, seam margin {report.SeamMargin} voxels (the receptive-field radius, {report.ReceptiveFieldRadius}); the tiled cases run at {report.TiledCaseVoxelsPerPass:N0} voxels per pass");
        foreach (var a in report.Agreements)
        {
            Line(text, $"  {a.Name}: r = {a.R:0.000000}, RMS difference {a.RelativeRmsDifference * 100:0.000} % and max {a.RelativeMaxDifference * 100:0.00} % of the reference's std");
        }

        Line(text, $"  fp32 one-pass output std {report.OutputStandardDeviation:0.###} for a unit-variance input");
        Line(text, $"  memory: {ModelBenchmarkReport.MemoryMethod}");
        text.AppendLine();

        if (report.CostCurve is { } curve)
        {
            text.AppendLine("cost curve (fp32, the product's tiling policy, one run each; CPU s are all threads):");
            foreach (var point in curve.Sizes)
            {
                Line(text, $"  {point.Stack,-12} {point.Voxels / 1e6,6:0.00} M voxels  {point.TileCount,3} pass(es) {point.VoxelOverhead,5:0.00}x  {point.Seconds,7:0.00} s  CPU {point.CpuSeconds,7:0.0} s  sys {point.KernelSeconds,5:0.0} s  {point.CpuSeconds / point.Voxels * 1e6,5:0.00} CPU-µs/voxel  peak {Gigabytes(point.PeakBytes)}");
            }

            Line(text, $"  CPU time ∝ voxels^{curve.VoxelExponent:0.000} (least squares on log-log)");
            foreach (var structures in curve.Structures)
            {
                Line(text, $"  {structures.Structures} structure(s) on {curve.Sizes[0].Stack}: {structures.Seconds:0.00} s, CPU {structures.CpuSeconds:0.0} s = {structures.RelativeToOne:0.00} x {structures.Structures} x one");
            }

            var paper = curve.PaperStack;
            Line(text, $"  paper-size stack {paper.Input} at {paper.InputVoxelSize} -> model grid {paper.ModelShape}, {paper.TileCount} pass(es), margin {paper.Margin}: {paper.Seconds:0.0} s, CPU {paper.CpuSeconds:0.0} s (resampling {paper.ResamplingCpuSeconds:0.0}), peak {Gigabytes(paper.PeakBytes)}");
            Line(text, $"  -> {paper.StacksPerHourPerCore:0.0} stacks per hour per core (one structure)");
            text.AppendLine();
        }

        if (report.Training.Count > 0)
        {
            text.AppendLine("training step (zero_grad, forward, MSE, backward, non-finite check, Adam), release_1 initialisation:");
            foreach (var t in report.Training)
            {
                Line(text, $"  batch {t.BatchSize,2} of {t.Patch}: {t.BestSeconds:0.00} s/step ({t.SecondsPerSample:0.000} s/sample; CPU {t.StepCpuSeconds.Min():0.0} s, sys {t.StepKernelSeconds.Min():0.0} s), peak RSS {Gigabytes(t.Memory.PeakBytes)}; {t.WarmUpSteps} warm-up + timed {Seconds(t.StepSeconds)} s; load {Load(t.LoadBefore)} -> {Load(t.LoadAfter)}");
            }

            text.AppendLine();
        }

        if (report.LevelCosts.Count > 0)
        {
            text.AppendLine("cost of each compute level that passes the self-test (fp32 one-pass forward of the stack; training step at the smallest batch;");
            text.AppendLine("each level in a fresh process of its own; ratios against the unrestricted default level):");
            var unrestricted = report.LevelCosts.FirstOrDefault(c => c is { Level: "default", Failure: null });
            foreach (var cost in report.LevelCosts)
            {
                if (cost.Failure is { } failure)
                {
                    Line(text, $"  {cost.Level,-12} no figures: {failure}");
                    continue;
                }

                var ratio = unrestricted is null
                    ? "default level failed its self-test: no unrestricted reference"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{cost.ForwardSeconds / unrestricted.ForwardSeconds:0.00}x forward, {cost.TrainingStepSeconds / unrestricted.TrainingStepSeconds:0.00}x training");
                Line(text, $"  {cost.Level,-12} forward {cost.ForwardSeconds,7:0.00} s   training step {cost.TrainingStepSeconds,7:0.00} s   {ratio}");
            }

            text.AppendLine();
        }

        Line(text, $"process high-water mark (VmHWM): {Gigabytes(report.ProcessHighWaterMarkBytes)}");
        Line(text, $"targets ({report.Targets.Count(t => t.Passed)} of {report.Targets.Count} met):");
        foreach (var target in report.Targets)
        {
            text.Append("  ").AppendLine(target.ToText());
        }

        return text.ToString();
    }

    private static string Seconds(IEnumerable<double> seconds) =>
        string.Join(" ", seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)));

    private static string Load(LoadAverage? load) => load?.ToString() ?? "n/a";

    private static string ComputeLevelLine(ComputeRecord? compute) => compute is null
        ? "not verified (run through labelfree bench model to verify it)"
        : $"{compute.Level}, verified by the self-test: " + string.Join(", ", compute.Paths.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Path} {(p.Passed ? "pass" : "FAIL")} (max error {p.MaxError:0.0e+00}, tolerance {p.Tolerance:G2})")));

    /// <summary>
    /// Warns when other work ran alongside. The load at the start is other work only; at the end it also
    /// counts the benchmark's own busy threads, so those are taken off. More than half a core's worth of
    /// other runnable tasks visibly stretches wall-clock figures.
    /// </summary>
    private static string LoadWarning(ModelBenchmarkReport report)
    {
        var otherWork = Math.Max(report.LoadAtStart?.OneMinute ?? 0, (report.LoadAtEnd?.OneMinute ?? 0) - report.Machine.Threads);
        return otherWork > report.Machine.LogicalCores / 2.0
            ? string.Create(CultureInfo.InvariantCulture,
                $" (about {otherWork:0.0} runnable tasks besides this benchmark: other work shared the CPUs, so wall-clock figures are low; re-run when the machine is quieter)")
            : string.Empty;
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB");

    private static void Line(StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
