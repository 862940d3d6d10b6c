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
            Trial(RegistrationOutcome.Registered, 1.4, 3.0),
            Trial(RegistrationOutcome.NotConverged, 25.0, 4.0),
        ];

        var summary = RegistrationBenchmarkScene.Summarise("s", "g", negativeControl: false, trials);

        Assert.Equal(4, summary.Trials);
        Assert.Equal(3, summary.Registered);
        Assert.Equal(0.75, summary.ConvergenceRate);
        Assert.Equal(0.6, summary.MeanErrorPixels!.Value, 12);
        // Sample deviation of 0.1, 0.3, 1.4: sqrt((0.25 + 0.09 + 0.64) / 2) = sqrt(0.49) = 0.7.
        Assert.Equal(0.7, summary.SdErrorPixels!.Value, 12);
        Assert.Equal(1.4, summary.MaxErrorPixels);
        Assert.Equal(1, summary.RegisteredAboveOnePixel);
        Assert.Equal(2.0, summary.MedianSeconds);   // nearest rank: ceil(0.5 * 4) = 2nd of 1, 2, 3, 4
        Assert.Equal(4.0, summary.P95Seconds);      // ceil(0.95 * 4) = 4th
        Assert.Equal(4.0, summary.MedianCpuSeconds); // 2nd of 2, 4, 6, 8
    }

    private static RegistrationBenchmarkTrial Trial(RegistrationOutcome outcome, double error, double seconds) =>
        new("s", 0, outcome, error, seconds, 2 * seconds, 0.9, 0.1, false, 1, 0, null);
}
