using System.Text.RegularExpressions;
using LabelFree.Pipeline.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// docs/operations.md stays true to what it documents: every rejection reason and every alert is
/// explained, and every chart value it tells an operator to set exists.
/// </summary>
public partial class OperationsGuideTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "operations.md"));

    private static readonly HelmChart Chart = HelmChart.Load(Path.Combine(TestEnvironment.RepositoryRoot, "helm", "labelfree-worker"));

    [Fact]
    public void Every_rejection_reason_is_explained_and_no_other()
    {
        var documented = ReasonRow().Matches(Guide).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(Enum.GetNames<LabelFree.Messages.RejectionReason>().Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_alert_rule_has_a_section_saying_what_to_do()
    {
        var alerts = DashboardTests.AlertRules().Select(r => r.Name).ToList();

        var undocumented = alerts.Where(name => !Guide.Contains($"\n### {name}\n", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(alerts);
        Assert.True(undocumented.Count == 0, "alerts without a section in docs/operations.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void Every_chart_value_the_guide_names_exists()
    {
        var readme = File.ReadAllText(Path.Combine(Chart.Folder, "README.md"));
        var named = SetFlag().Matches(Guide + readme).Select(m => m.Groups[1].Value)
            .Concat(BacktickedValue().Matches(Guide).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        var valuesFile = Assert.Single(YamlBlock().Matches(Guide), m => m.Groups[1].Value.StartsWith("# labelfree-values.yaml", StringComparison.Ordinal));

        var missing = named.Where(path => Chart.Value(path) is null).ToList();
        missing.AddRange(MissingKeys(Yaml.Parse(valuesFile.Groups[1].Value), Chart.Values, ""));

        Assert.True(named.Count > 20, $"only {named.Count} values named: is the scan broken?");
        Assert.True(missing.Count == 0, "the guide names values the chart does not have: " + string.Join(", ", missing));
    }

    // Keys of an example values file that values.yaml lacks. Free-form maps ({} by default, e.g. labels) take any key;
    // list items are checked against the keys of the default list's first item.
    private static IEnumerable<string> MissingKeys(YamlNode example, YamlNode defaults, string path)
    {
        if (example is YamlMappingNode mapping && defaults is YamlMappingNode known && known.Children.Count > 0)
        {
            foreach (var (key, value) in mapping.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                var child = $"{path}{(path.Length > 0 ? "." : "")}{name}";
                if (!known.Children.TryGetValue(key, out var knownValue))
                {
                    yield return child;
                    continue;
                }

                foreach (var missing in MissingKeys(value, knownValue, child))
                {
                    yield return missing;
                }
            }
        }
        else if (example is YamlSequenceNode items && defaults is YamlSequenceNode { Children.Count: > 0 } knownItems)
        {
            foreach (var missing in items.Children.SelectMany(item => MissingKeys(item, knownItems.Children[0], path + "[]")).Distinct())
            {
                yield return missing;
            }
        }
    }

    [GeneratedRegex(@"^\| `([A-Za-z]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ReasonRow();

    [GeneratedRegex(@"--set ([A-Za-z][A-Za-z0-9.]*)=")]
    private static partial Regex SetFlag();

    [GeneratedRegex(@"`((?:image|broker|storage|prediction|resources|gpu|keda|metrics|alerts|probes|tmp|networkPolicy|podDisruptionBudget|serviceAccount)\.[A-Za-z.]+)(?<!\.tiff)`")]
    private static partial Regex BacktickedValue();

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
