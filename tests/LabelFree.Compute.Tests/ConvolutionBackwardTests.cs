using System.Text.RegularExpressions;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Compute.Tests;

/// <summary>
/// The fault behind NaN training (../shared/repro/conv-backward-input): oneDNN's convolution backward-data
/// kernel, as libtorch 2.10 runs it, reads memory it never wrote, which shows only where that memory is
/// recycled garbage. A training step of the product's fnet, on a polluted heap, must match the known
/// answers and must never run that kernel: the second check fails on any host, affected or not, if the
/// fix is reverted.
/// </summary>
public partial class ConvolutionBackwardTests
{
    [Fact]
    public void A_training_step_on_a_polluted_heap_matches_the_known_answers_without_running_onednn_backward_data()
    {
        var settings = new ComputeSettings { CacheDirectory = TestEnvironment.NewTempFolder("labelfree-verdicts") };

        var verdicts = ProbeProcess.Run(ComputeLevel.Default, [ComputePath.Float32Training], settings,
            new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" }, out var trace);

        var verdict = Assert.Single(verdicts);
        Assert.True(verdict.Passed, verdict.Failure);
        Assert.Equal(KnownAnswerTest.DefaultRepetitions(ComputePath.Float32Training), verdict.Repetitions);
        var convolutions = ConvolutionPrimitive().Matches(trace).Select(m => m.Groups["kind"].Value).ToList();
        Assert.Contains("forward_training", convolutions);
        Assert.Contains("backward_weights", convolutions); // oneDNN ran the step: the trace is not empty by accident
        Assert.DoesNotContain("backward_data", convolutions);
    }

    [GeneratedRegex(@"^onednn_verbose,.*?,exec,cpu,convolution,[^,]*,(?<kind>[a-z_]+),", RegexOptions.Multiline)]
    private static partial Regex ConvolutionPrimitive();
}
