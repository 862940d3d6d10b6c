using LabelFree.Pipeline.Registration;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationReportTests
{
    private static readonly RegistrationReportImage Moving = new("pred.tif", 100, 60, 0.01);
    private static readonly RegistrationReportImage Fixed = new("if.tif", 2048, 2048, 0.1, "MBP");
    private static readonly RegistrationTimings Timings = new(0.1, 0.2, 0.3, 0.6);

    [Fact]
    public void The_error_against_a_reference_uses_the_shared_metric_over_the_moving_grid()
    {
        var found = AffineTransform2D.Similarity(0.1, 1, 500, 400);
        var result = new RegistrationResult(RegistrationOutcome.Registered, null, new RegistrationTransform(found), true, 2, 0.9,
            0.2, new RegistrationEvidence(2, 80, 3, 90, 0.9, 0.05, 1), 100, 60, Timings);
        var reference = new RegistrationTransform(AffineTransform2D.Translation(3, 4).After(found));

        var report = RegistrationReport.Create(result, Moving, Fixed, reference);

        Assert.Equal(5.0, report.ErrorVersusReferencePixels!.Value, 10);
        Assert.Equal(found.ToRows(), report.Transform!.MovingToFixed);
    }

    [Fact]
    public void Without_a_transform_there_is_no_error_even_with_a_reference()
    {
        var result = new RegistrationResult(RegistrationOutcome.InsufficientContent, "empty", null, false, 0, null, 0, null,
            100, 60, Timings);

        var report = RegistrationReport.Create(result, Moving, Fixed, new RegistrationTransform(AffineTransform2D.Identity));

        Assert.Null(report.ErrorVersusReferencePixels);
        Assert.Null(report.Transform);
        Assert.Equal(RegistrationOutcome.InsufficientContent, report.Outcome);
    }

    [Fact]
    public void The_json_names_the_outcome_in_words()
    {
        var result = new RegistrationResult(RegistrationOutcome.NotConverged, "drifted", new RegistrationTransform(AffineTransform2D.Identity),
            false, 8, 0.1, 0.3, new RegistrationEvidence(1, 20, 15, 60, 0.1, 3.2, 0.2), 100, 60, Timings);

        var json = System.Text.Json.JsonSerializer.Serialize(RegistrationReport.Create(result, Moving, Fixed), RegistrationJson.Options);

        Assert.Contains("\"outcome\": \"NotConverged\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\": \"drifted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"confidence\": 0.2", json, StringComparison.Ordinal);
        Assert.Contains("\"runnerUpInliers\": 15", json, StringComparison.Ordinal);
    }
}
