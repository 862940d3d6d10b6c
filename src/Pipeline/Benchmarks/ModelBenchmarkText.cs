using System.Globalization;
using System.Text;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

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
        Line(text, $"network: {report.Network}, {report.Parameters:N0} parameters; {report.Weights}");
        Line(text, $"forward pass of {report.Stack}: {report.ForwardFlops / 1e12:0.000} TFLOP ({report.FlopsPerVoxel / 1e3:0} kFLOP per voxel, convolutions only)");
        text.AppendLine();

        var gemmRuns = report.Gemm[0];
        Line(text, $"GEMM reference (torch.matmul of square n x n matrices, best of {gemmRuns.TimedRuns} runs after {gemmRuns.WarmUpRuns} warm-up):");
        foreach (var precision in report.Gemm.Select(g => g.Precision).Distinct())
        {
            var sizes = string.Join(", ", report.Gemm.Where(g => g.Precision == precision)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.MatrixSize}: {g.GigaflopsPerSecond:0.0}")));
            Line(text, $"  {PrecisionTypes.ShortName(precision)}  {sizes} GFLOP/s  -> reference {report.GemmReference(precision):0.0} GFLOP/s");
        }

        text.AppendLine();
        Line(text, $"prediction of {report.Stack} (best of each case's runs; GFLOP/s counts one whole-stack pass, so tile overlap costs rate):");
        Line(text, $"  {"case",-11} {"passes",-17} {"overlap",7} {"voxels",7} {"time s",8} {"GFLOP/s",8} {"of GEMM",8} {"peak RSS",9} {"added",9}  runs (s); load before -> after");
        foreach (var p in report.Predictions)
        {
            Line(text, $"  {p.Name,-11} {$"{p.TileCount} x {p.TileShape}",-17} {p.Overlap,7} {p.VoxelOverhead,6:0.00}x {p.BestSeconds,8:0.00} {p.GigaflopsPerSecond,8:0.0} {p.FractionOfGemm * 100,6:0.0} % {Gigabytes(p.Memory.PeakBytes),9} {Gigabytes(p.Memory.AboveBaselineBytes),9}  {string.Join(" ", p.RunSeconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))}; {Load(p.LoadBefore)} -> {Load(p.LoadAfter)}");
        }

        Line(text, $"  agreement (Pearson r): {string.Join("; ", report.Agreements.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Name} {a.R:0.000000}")))}");
        Line(text, $"  fp32 one-pass output std {report.OutputStandardDeviation:0.###} for a unit-variance input");
        Line(text, $"  memory: {ModelBenchmarkReport.MemoryMethod}");
        text.AppendLine();

        if (report.Training.Count > 0)
        {
            text.AppendLine("training step (zero_grad, forward, MSE, backward, Adam), release_1 initialisation:");
            foreach (var t in report.Training)
            {
                Line(text, $"  batch {t.BatchSize,2} of {t.Patch}: {t.BestSeconds:0.00} s/step ({t.SecondsPerSample:0.000} s/sample, forward {t.ForwardGigaflopsPerSecond:0.0} GFLOP/s-equivalent), peak RSS {Gigabytes(t.Memory.PeakBytes)}; {t.WarmUpSteps} warm-up + timed {string.Join(" ", t.StepSeconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} s; load {Load(t.LoadBefore)} -> {Load(t.LoadAfter)}");
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

    private static string Load(LoadAverage? load) => load?.ToString() ?? "n/a";

    private static string LoadWarning(ModelBenchmarkReport report)
    {
        var busiest = Math.Max(report.LoadAtStart?.OneMinute ?? 0, report.LoadAtEnd?.OneMinute ?? 0);
        return busiest > report.Machine.LogicalCores
            ? " (more runnable tasks than cores: other work shared the CPUs, so the figures are low; re-run when the machine is quieter)"
            : string.Empty;
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB");

    private static void Line(StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
