using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>Prometheus' promtool (Debian package "prometheus"): checks rule files (and so PromQL syntax) and scrapes.</summary>
public static class Promtool
{
    /// <summary>promtool's exit code when the input parsed but broke lint rules.</summary>
    public const int LintProblemsExitCode = 3;

    public static string? Path => ExternalCommand.Find("promtool");

    /// <summary>Runs `promtool check rules` on the rule-file text.</summary>
    public static (int ExitCode, string Output) CheckRules(string rules)
    {
        var promtool = Require();
        var folder = TestEnvironment.NewTempFolder("labelfree-promtool");
        try
        {
            var file = System.IO.Path.Combine(folder, "rules.yaml");
            File.WriteAllText(file, rules);
            return ExternalCommand.Run(promtool, ["check", "rules", file], folder, TimeSpan.FromMinutes(1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs `promtool check metrics` on a scrape in the Prometheus text format (read from stdin).</summary>
    public static (int ExitCode, string Output) CheckMetrics(string scrape) =>
        ExternalCommand.Run(Require(), ["check", "metrics"], System.IO.Path.GetTempPath(), TimeSpan.FromMinutes(1), scrape);

    // CI installs promtool (scripts/install-prerequisites.sh): there a missing one is a broken setup, not a skip.
    private static string Require()
    {
        Assert.False(TestEnvironment.IsCi && Path is null, "promtool is not installed on this CI machine (scripts/install-prerequisites.sh)");
        Skip.If(Path is null, "promtool is not installed (apt-get install --no-install-recommends prometheus)");
        return Path!;
    }
}
