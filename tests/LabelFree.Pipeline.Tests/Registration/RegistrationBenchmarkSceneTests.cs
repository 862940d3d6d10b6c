using LabelFree.Benchmarks.Registration;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationBenchmarkSceneTests
{
    [Fact]
    public void The_summary_counts_registered_trials_and_takes_error_statistics_over_them_only()
    {
        RegistrationBenchmarkTrial[] trials =
        [
            Trial(RegistrationOutcome.Registered, 0.1, 1.0),
            Trial(RegistrationOutcome.Registered, 0.3, 2.0),
            Trial(RegistrationOutcome.Registered, 2.4, 3.0),
            Trial(RegistrationOutcome.NotConverged, 25.0, 4.0),
        ];

        var summary = RegistrationBenchmarkScene.Summarise("s", "g", negativeControl: false, trials);

        Assert.Equal(4, summary.Trials);
        Assert.Equal(3, summary.Registered);
        Assert.Equal(0.75, summary.ConvergenceRate);
        Assert.Equal(0.9333333333333333, summary.MeanErrorPixels!.Value, 12);
        // Sample deviation of 0.1, 0.3, 2.4: sqrt((0.694 + 0.401 + 2.151) / 2) = 1.2741.
        Assert.Equal(1.2741009, summary.SdErrorPixels!.Value, 6);
        Assert.Equal(2.4, summary.MaxErrorPixels);
        Assert.Equal(1, summary.RegisteredAboveOnePixel);
        // Registered with more than 2 px of error is a false claim; a NotConverged trial never is, whatever its error.
        Assert.Equal(1, summary.FalseClaims);
        Assert.Equal(2.0, summary.MedianSeconds);   // nearest rank: ceil(0.5 * 4) = 2nd of 1, 2, 3, 4
        Assert.Equal(4.0, summary.P95Seconds);      // ceil(0.95 * 4) = 4th
        Assert.Equal(4.0, summary.MedianCpuSeconds); // 2nd of 2, 4, 6, 8
    }

    private static RegistrationBenchmarkTrial Trial(RegistrationOutcome outcome, double error, double seconds) =>
        new("s", 0, outcome, error, outcome == RegistrationOutcome.Registered && error > RegistrationBenchmark.FalseClaimPixels,
            seconds, seconds / 2, 2 * seconds, 0.9, 0.8, 0.1, false, 1, 0, 300, null);
}
