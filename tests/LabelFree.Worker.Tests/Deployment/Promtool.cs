using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>Prometheus' promtool (Debian package "prometheus"), for checking rule files and so PromQL syntax.</summary>
public static class Promtool
{
    public static string? Path => ExternalCommand.Find("promtool");

    /// <summary>Runs `promtool check rules` on the rule-file text; skips the calling test when promtool is not installed.</summary>
    public static (int ExitCode, string Output) CheckRules(string rules)
    {
        Skip.If(Path is null, "promtool is not installed (apt-get install --no-install-recommends prometheus)");
        var folder = TestEnvironment.NewTempFolder("labelfree-promtool");
        try
        {
            var file = System.IO.Path.Combine(folder, "rules.yaml");
            File.WriteAllText(file, rules);
            return ExternalCommand.Run(Path!, ["check", "rules", file], folder, TimeSpan.FromMinutes(1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
