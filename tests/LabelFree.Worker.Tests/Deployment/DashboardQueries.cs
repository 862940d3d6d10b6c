using System.Text.Json;
using System.Text.RegularExpressions;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>Reads a Grafana dashboard's PromQL: every panel target's expr (rows' nested panels too) and every query variable.</summary>
public static partial class DashboardQueries
{
    /// <summary>Every PromQL expression of the dashboard at <paramref name="path"/>, with its panel's title.</summary>
    public static IReadOnlyList<(string Panel, string Expression)> Expressions(string path)
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var expressions = new List<(string, string)>();
        CollectPanels(dashboard.RootElement, expressions);
        if (dashboard.RootElement.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var variables))
        {
            foreach (var variable in variables.EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
            {
                var query = variable.GetProperty("query");
                var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString() : query.GetString();
                // Grafana's label_values(selector, label): only the selector is PromQL.
                var labelValues = LabelValues().Match(text ?? "");
                if (labelValues.Success)
                {
                    expressions.Add(($"variable {variable.GetProperty("name").GetString()}", labelValues.Groups[1].Value));
                }
            }
        }

        return expressions;
    }

    /// <summary>The metric names the dashboard queries: the worker's own, and those from other exporters.</summary>
    public static DashboardMetricNames MetricNames(string path)
    {
        var all = Expressions(path).SelectMany(e => PromQlMetricNames.In(e.Expression)).ToHashSet(StringComparer.Ordinal);
        var other = all.Where(IsFromAnotherSource).ToHashSet(StringComparer.Ordinal);
        return new DashboardMetricNames(all.Except(other).ToHashSet(StringComparer.Ordinal), other);
    }

    // rabbitmq_prometheus, kube-state-metrics, and Prometheus' own per-target "up".
    private static bool IsFromAnotherSource(string name) =>
        name.StartsWith("rabbitmq_", StringComparison.Ordinal) || name.StartsWith("kube_", StringComparison.Ordinal) || name == "up";

    private static void CollectPanels(JsonElement container, List<(string, string)> expressions)
    {
        if (!container.TryGetProperty("panels", out var panels))
        {
            return;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expr) && expr.GetString() is { Length: > 0 } text)
                    {
                        expressions.Add((title, text));
                    }
                }
            }

            CollectPanels(panel, expressions);
        }
    }

    [GeneratedRegex(@"^\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
