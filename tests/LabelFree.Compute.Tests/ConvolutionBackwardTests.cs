using System.Text.RegularExpressions;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Compute.Tests;

/// <summary>
/// The fault behind NaN training (../shared/repro/conv-backward-input): oneDNN's convolution backward-data
/// kernel, as libtorch 2.10 runs it, reads memory it never wrote, which shows only where that memory is
/// recycled garbage. oneDNN also builds a transposed convolution's forward pass from that kernel. The
/// product's fnet, on a polluted heap, must match the known answers and never run it, in training or in
/// prediction: the second check fails on any host, affected or not, if the fix is reverted.
/// </summary>
public partial class ConvolutionBackwardTests
{
    [Theory]
    [InlineData(ComputePath.Float32Training)]
    [InlineData(ComputePath.Float32Inference)]
    public void A_path_on_a_polluted_heap_matches_the_known_answers_without_running_onednn_backward_data(ComputePath path)
    {
        var settings = new ComputeSettings { CacheDirectory = TestEnvironment.NewTempFolder("labelfree-verdicts") };

        var probe = ProbeProcess.Run(ComputeLevel.Default, [path], settings, new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" }, out var trace);

        var verdict = Assert.Single(probe.Verdicts);
        Assert.True(verdict.Passed, verdict.Failure);
        Assert.True(probe.Conclusive);
        Assert.Equal(KnownAnswerTest.DefaultRepetitions(path), verdict.Repetitions);
        var primitives = Primitive().Matches(trace).Select(m => (Kind: m.Groups["primitive"].Value, Direction: m.Groups["direction"].Value)).ToList();
        Assert.Contains(("convolution", "forward_training"), primitives.Select(p => (p.Kind, p.Direction == "forward_inference" ? "forward_training" : p.Direction)));
        if (path == ComputePath.Float32Training)
        {
            Assert.Contains(("convolution", "backward_weights"), primitives); // oneDNN ran the step: the trace is not empty by accident
        }

        Assert.DoesNotContain(primitives, p => p.Direction == "backward_data");
        Assert.DoesNotContain(primitives, p => p.Kind == "deconvolution");
    }

    [GeneratedRegex(@"^onednn_verbose,.*?,exec,cpu,(?<primitive>convolution|deconvolution),[^,]*,(?<direction>[a-z_]+),", RegexOptions.Multiline)]
    private static partial Regex Primitive();
}
