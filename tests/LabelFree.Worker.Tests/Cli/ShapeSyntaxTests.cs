namespace LabelFree.Worker.Tests.Cli;

/// <summary>Every verb writes a shape the same way, Z,Y,X, and names the option when given anything else.</summary>
public sealed class ShapeSyntaxTests
{
    public static TheoryData<string[], string> ShapesInAnotherSyntax => new()
    {
        { ["simulate", "--out", Path.GetTempPath(), "--shape", "16x32x32"], "--shape" },
        { ["bench", "model", "--stack", "48x240x368"], "--stack" },
        { ["bench", "worker", "--shape", "32x128x128"], "--shape" },
    };

    [Theory]
    [MemberData(nameof(ShapesInAnotherSyntax))]
    public void A_shape_written_ZxYxX_is_a_usage_error_naming_the_option(string[] arguments, string option)
    {
        var result = LabelFreeProcess.Run(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
        Assert.Contains("Z,Y,X", result.Error, StringComparison.Ordinal);
    }
}
