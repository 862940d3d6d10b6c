using LabelFree.Benchmarks.Registration;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationBenchmarkTests
{
    // Small stand-ins for the 2048 / 1500 px scenes, so the whole benchmark runs in a few seconds.
    private static readonly RegistrationBenchmarkOptions Small = new() { Trials = 1, Seed = 5, FixedSize = 400, MovingSize = 250 };

    [Fact]
    public void Every_scene_reports_its_trials_and_the_procedural_ones_register_within_half_a_pixel()
    {
        var seen = new List<RegistrationBenchmarkTrial>();

        var report = RegistrationBenchmark.Run(Small, seen.Add);

        Assert.Equal(["simulated-em-if-250-in-400", "negative-control-250-in-400", "fibers-in-400", "nuclei-in-400", "negative-control-fibers-in-400"],
            report.Scenes.Select(s => s.Scene));
        Assert.Equal(report.Trials, seen);
        foreach (var scene in report.Scenes.Where(s => s.Scene.StartsWith("fibers", StringComparison.Ordinal) || s.Scene.StartsWith("nuclei", StringComparison.Ordinal)))
        {
            Assert.Equal(1, scene.Registered);
            Assert.True(scene.MeanErrorPixels < 0.5, $"{scene.Scene}: {scene.MeanErrorPixels} px");
        }

        Assert.All(report.Scenes.Where(s => s.NegativeControl), control => Assert.Equal(0, control.FalseClaims));
    }

    [Fact]
    public void The_same_seed_repeats_the_same_trials()
    {
        var first = RegistrationBenchmark.Run(Small with { Seed = 9 });
        var second = RegistrationBenchmark.Run(Small with { Seed = 9 });

        Assert.Equal(first.Trials.Select(t => (t.TrueRotationDegrees, t.TrueRelativeScale, t.ErrorPixels)),
            second.Trials.Select(t => (t.TrueRotationDegrees, t.TrueRelativeScale, t.ErrorPixels)));
    }
}
