using LabelFree.Worker.Cli;
using Xunit;

namespace LabelFree.Worker.Tests.Cli;

public sealed class BenchReportTests
{
    private static readonly Dictionary<string, double> Stages = new()
    {
        ["download"] = 3, ["decode"] = 0.1, ["preprocess"] = 2.4, ["inference"] = 46, ["encode"] = 4.8, ["upload"] = 10,
    };

    private static BenchReport Report(double endToEnd, double pureCompute, double inferenceInWorker) => new(
        4, 2, "65,624,924", "0.29,0.108,0.108", 2, endToEnd, pureCompute, [pureCompute], endToEnd / pureCompute,
        inferenceInWorker, endToEnd / inferenceInWorker, 4 / endToEnd * 3600, 90, Stages, 1000);

    [Fact]
    public void A_batch_above_the_target_says_how_much_is_contention_and_how_much_is_time_without_inference()
    {
        var report = Report(endToEnd: 209, pureCompute: 145, inferenceInWorker: 186);

        Assert.Equal(186 / 145.0, report.InferenceSlowdown, 12);
        Assert.Equal(23, report.SecondsWithoutInference, 12);
        Assert.Equal(20.3, report.FillAndDrainSeconds, 12);
        Assert.Contains("inference took 1.28x its time alone", report.ReasonAboveTarget, StringComparison.Ordinal);
        Assert.Contains("23 s of the batch ran no inference, about 20 s of it filling and draining", report.ReasonAboveTarget, StringComparison.Ordinal);
        Assert.Contains("why above target:", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_within_the_target_has_no_reason_to_give()
    {
        var report = Report(endToEnd: 150, pureCompute: 145, inferenceInWorker: 146);

        Assert.Null(report.ReasonAboveTarget);
        Assert.DoesNotContain("why above target", report.ToText(), StringComparison.Ordinal);
    }
}
