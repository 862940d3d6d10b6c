using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Compute.Tests;

/// <summary>
/// The level selection against real probe processes, with faults injected where a test needs a path to
/// compute wrong: a wrong path is caught, the next level is chosen, and nothing passing means a refusal.
/// </summary>
public class LevelSelectionTests
{
    private static readonly ComputePath[] Training = [ComputePath.Float32Training, ComputePath.Float32Inference];

    [Fact]
    public void A_path_that_computes_wrong_at_the_fastest_level_is_caught_and_the_next_level_that_passes_is_chosen()
    {
        var settings = Settings() with { InjectedFaults = [(ComputePath.Float32Training, ComputeLevel.Default.Name)] };

        var choice = LevelSelection.Choose(Training, settings);

        var caught = Assert.Single(choice.Failures);
        Assert.Equal((ComputePath.Float32Training, "default"), (caught.Path, caught.Level));
        Assert.Contains("the gradient of", caught.Failure, StringComparison.Ordinal);
        Assert.False(choice.Refused);
        Assert.NotEqual(ComputeLevel.Default, choice.Level);
        Assert.True(choice.Level!.IsAvailableOn(CpuDescription.Current));
        Assert.All(choice.ChosenVerdicts, verdict => Assert.True(verdict.Passed, verdict.Failure));
        Assert.Equal(Training.Order(), choice.ChosenVerdicts.Select(v => v.Path).Order());
        // Every level between the failed one and the chosen one was skipped only because this CPU lacks it.
        var tried = ComputeLevel.Candidates.TakeWhile(level => level != choice.Level).Skip(1);
        Assert.All(tried, level => Assert.False(level.IsAvailableOn(CpuDescription.Current)));
    }

    [Fact]
    public void When_every_level_computes_a_path_wrong_the_path_is_refused_and_the_reason_names_each_failure()
    {
        var settings = Settings() with
        {
            InjectedFaults = ComputeLevel.Candidates.Select(level => (ComputePath.Float32Inference, level.Name)).ToList(),
        };

        var choice = LevelSelection.Choose([ComputePath.Float32Inference], settings);

        Assert.True(choice.Refused);
        var tested = ComputeLevel.Candidates.Where(level => level.IsAvailableOn(CpuDescription.Current)).Select(level => level.Name);
        Assert.Equal(tested, choice.Failures.Select(f => f.Level));
        Assert.All(choice.Failures, f => Assert.Contains("the output is off by", f.Failure, StringComparison.Ordinal));
        Assert.StartsWith("No compute level passes the self-test for fp32-inference", choice.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_verb_whose_path_is_refused_does_not_start_and_nothing_is_applied_to_the_process()
    {
        var settings = Settings() with
        {
            InjectedFaults = ComputeLevel.Candidates.Select(level => (ComputePath.Float32Training, level.Name)).ToList(),
        };

        var refused = Assert.Throws<ComputeRefusedException>(() => ComputeGate.Require([ComputePath.Float32Training], settings));

        Assert.Contains("fp32-training", refused.Message, StringComparison.Ordinal);
        Assert.Null(ComputeGate.Applied);
        Assert.Null(ComputeRecord.Current);
    }

    [Fact]
    public void A_configured_level_is_the_only_one_tried_and_is_verified_like_any_other()
    {
        var forced = Settings() with { Level = ComputeLevel.NoOneDnn.Name };

        var accepted = LevelSelection.Choose([ComputePath.Float32Inference], forced);
        var refused = LevelSelection.Choose([ComputePath.Float32Inference],
            forced with { InjectedFaults = [(ComputePath.Float32Inference, ComputeLevel.NoOneDnn.Name)] });

        Assert.Equal(ComputeLevel.NoOneDnn, accepted.Level);
        Assert.Equal(["no-onednn"], accepted.Verdicts.Select(v => v.Level));
        Assert.True(refused.Refused);
        Assert.Equal(["no-onednn"], refused.Verdicts.Select(v => v.Level));
    }

    [Fact]
    public void Verdicts_are_measured_once_per_machine_and_then_read_from_the_cache()
    {
        var settings = Settings();

        var first = LevelSelection.Verify(ComputeLevel.Default, [ComputePath.Float32Inference], settings, fresh: false);
        var second = LevelSelection.Verify(ComputeLevel.Default, [ComputePath.Float32Inference], settings, fresh: false);
        var fresh = LevelSelection.Verify(ComputeLevel.Default, [ComputePath.Float32Inference], settings, fresh: true);

        Assert.True(first[0].Passed, first[0].Failure);
        Assert.Equal(first, second); // the same measurement, time included: no probe ran
        Assert.True(File.Exists(new VerdictCache(settings.CacheDirectory).FileFor(VerdictCache.Key(settings.Threads))));
        Assert.NotEqual(first[0].Seconds, fresh[0].Seconds);
    }

    [Fact]
    public void A_level_the_cpu_lacks_is_reported_unavailable_without_running_anything()
    {
        var missing = new ComputeLevel("imaginary", "a CPU flag no processor has", "AVX2", "avx2", true, ["no-such-flag"]);

        var verdicts = LevelSelection.Verify(missing, ComputePaths.All, Settings(), fresh: true);

        Assert.All(verdicts, v => Assert.False(v.WasRun));
        Assert.All(verdicts, v => Assert.Contains("no-such-flag", v.Failure, StringComparison.Ordinal));
    }

    private static ComputeSettings Settings() => new() { CacheDirectory = TestEnvironment.NewTempFolder("labelfree-verdicts") };
}
