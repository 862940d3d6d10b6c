using System.Text.RegularExpressions;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Compute.Tests;

/// <summary>A level is what the kernels run: its variables reach the probe process, and oneDNN obeys them.</summary>
public partial class LevelEffectTests
{
    [Fact]
    public void A_level_that_caps_onednn_below_this_cpu_runs_its_convolutions_at_that_instruction_set()
    {
        // Below every level the product uses, so the cap shows on any x86-64 machine this project runs on.
        var sse41 = new ComputeLevel("sse41-test", "SSE4.1 only (test)", "SSE41", "default", true, ["sse4_1"]);
        var settings = new ComputeSettings { CacheDirectory = TestEnvironment.NewTempFolder("labelfree-verdicts") };

        var probe = ProbeProcess.Run(sse41, [ComputePath.Float32Inference], settings, new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" }, out var trace);

        Assert.True(Assert.Single(probe.Verdicts).Passed);
        var implementations = Implementation().Matches(trace).Select(m => m.Groups["implementation"].Value).Distinct().ToList();
        Assert.NotEmpty(implementations);
        Assert.All(implementations, name => Assert.DoesNotMatch("avx", name));
        Assert.Contains(implementations, name => name.Contains("sse41", StringComparison.Ordinal));
    }

    [Fact]
    public void A_probe_that_is_cut_short_says_so_and_leaves_no_verdict_in_the_cache()
    {
        var settings = new ComputeSettings { CacheDirectory = TestEnvironment.NewTempFolder("labelfree-verdicts"), ProbeTimeout = TimeSpan.FromMilliseconds(1) };

        var verdicts = LevelSelection.Verify(ComputeLevel.Default, [ComputePath.Float32Inference], settings, fresh: false);

        var verdict = Assert.Single(verdicts);
        Assert.False(verdict.Passed);
        Assert.Contains("did not finish", verdict.Failure, StringComparison.Ordinal);
        Assert.Empty(new VerdictCache(settings.CacheDirectory).Read(VerdictCache.Key(settings.Threads)));
    }

    [GeneratedRegex(@"^onednn_verbose,.*?,exec,cpu,convolution,(?<implementation>[^,]+),", RegexOptions.Multiline)]
    private static partial Regex Implementation();
}
