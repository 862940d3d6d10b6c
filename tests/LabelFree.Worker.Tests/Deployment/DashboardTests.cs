using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LabelFree.Pipeline.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The Grafana dashboard and the alert rules: what they query exists (worker series by name, other
/// exporters' series by family), they cover what an operator watches, and their PromQL parses.
/// </summary>
public partial class DashboardTests
{
    private static readonly string DashboardPath = Path.Combine(TestEnvironment.RepositoryRoot, "dashboards", "labelfree-worker.json");

    private static readonly string AlertsPath = Path.Combine(TestEnvironment.RepositoryRoot, "helm", "labelfree-worker", "files", "alerts.yaml");

    [Fact]
    public void Metric_name_reader_skips_functions_labels_durations_and_variables()
    {
        var names = PromQlMetricNames.In(
            "histogram_quantile(0.95, sum by (le, stage) (rate(a_seconds_bucket{job=\"$job\", stage!=\"inference\"}[$__rate_interval])))"
            + " / on (job) group_left (pod) b_info offset 5m > bool 1e-6 and count(up{namespace=~\"x|y\"} == 1) unless vector($budget)");

        Assert.Equal(["a_seconds_bucket", "b_info", "up"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboard_queries_only_series_the_worker_exports()
    {
        var names = DashboardQueries.MetricNames(DashboardPath);

        var unknown = names.Worker.Except(WorkerSeries.Names).ToList();

        Assert.True(unknown.Count == 0, "the dashboard queries series the worker does not export: " + string.Join(", ", unknown));
        Assert.All(names.OtherSources, name => Assert.Matches("^(rabbitmq_|kube_|up$)", name));
    }

    [Fact]
    public void Dashboard_shows_queue_throughput_failures_durations_quality_progress_and_pods()
    {
        var names = DashboardQueries.MetricNames(DashboardPath);

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "labelfree_stacks_predicted_total", "labelfree_stacks_rejected_total", "labelfree_stacks_failed_total",
                "labelfree_stacks_in_flight", "labelfree_stage_duration_seconds_bucket", "labelfree_pearson_r_bucket",
                "messaging_masstransit_consume_errors_ea_total", "messaging_masstransit_consume_duration_milliseconds_sum",
                "dotnet_process_memory_working_set_bytes",
            },
            new HashSet<string>(names.Worker, StringComparer.Ordinal));
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "rabbitmq_queue_messages_ready", "rabbitmq_queue_messages_unacked", "rabbitmq_queue_messages",
                "kube_deployment_status_replicas_available", "up",
            },
            new HashSet<string>(names.OtherSources, StringComparer.Ordinal));
        // Rejections are broken down by reason and inference by structure model.
        var expressions = DashboardQueries.Expressions(DashboardPath).Select(e => e.Expression).ToList();
        Assert.Contains(expressions, e => e.Contains("sum by (reason) (rate(labelfree_stacks_rejected_total", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("histogram_quantile(0.95, sum by (le, structure)", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_is_a_grafana_dashboard_on_a_prometheus_datasource_variable()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = dashboard.RootElement;
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v, StringComparer.Ordinal);
        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        var targets = panels.Where(p => p.TryGetProperty("targets", out _)).SelectMany(p => p.GetProperty("targets").EnumerateArray()).ToList();

        Assert.Equal(39, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("datasource", variables["datasource"].GetProperty("type").GetString());
        Assert.Equal("prometheus", variables["datasource"].GetProperty("query").GetString());
        Assert.Contains("namespace", variables.Keys);
        Assert.Contains("job", variables.Keys);
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Equal("${datasource}", t.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, p =>
        {
            var grid = p.GetProperty("gridPos");
            Assert.InRange(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32(), 1, 24);
        });
    }

    [SkippableFact]
    public void Dashboard_queries_parse_as_promql()
    {
        var expressions = DashboardQueries.Expressions(DashboardPath);
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            // Grafana fills in its variables before Prometheus sees the query.
            var expression = GrafanaVariable().Replace(expressions[i].Expression, m => m.Groups[1].Value switch
            {
                "__rate_interval" => "5m",
                "__range" => "12h",
                "budget" => "1200",
                _ => "x",
            });
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: dashboard:query_{i}\n        expr: {JsonSerializer.Serialize(expression)}\n");
        }

        var (exitCode, output) = Promtool.CheckRules(rules.ToString());

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {expressions.Count} rules found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Alert_rules_pass_promtool()
    {
        var (exitCode, output) = Promtool.CheckRules(File.ReadAllText(AlertsPath));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_rules_query_only_series_the_worker_or_the_known_exporters_serve()
    {
        var rules = AlertRules().ToList();

        var unknown = rules.SelectMany(r => PromQlMetricNames.In(r.Expression))
            .Where(name => !WorkerSeries.Names.Contains(name) && !Regex.IsMatch(name, "^(rabbitmq_|kube_)"))
            .Distinct()
            .ToList();

        Assert.Equal(
            ["LabelFreeErrorQueueNotEmpty", "LabelFreeNoWorkerWhileQueued", "LabelFreeNonFinitePrediction", "LabelFreeRejectionSpike",
             "LabelFreeStackFailures", "LabelFreeStacksNearTimeBudget", "LabelFreeStorageAccessDenied", "LabelFreeWorkerNotReady", "LabelFreeWorkerRestarting"],
            rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(unknown.Count == 0, "alerts query unknown series: " + string.Join(", ", unknown));
    }

    /// <summary>(alert name, expr) of every rule in the chart's alert file.</summary>
    internal static IEnumerable<(string Name, string Expression)> AlertRules()
    {
        var root = Yaml.Parse(File.ReadAllText(AlertsPath));
        return from ruleGroup in ((YamlSequenceNode)Yaml.At(root, "groups")!).Children
               from rule in ((YamlSequenceNode)Yaml.At(ruleGroup, "rules")!).Children
               select (Yaml.Text(rule, "alert"), Yaml.Text(rule, "expr"));
    }

    [GeneratedRegex(@"\$\{?(\w+)\}?")]
    private static partial Regex GrafanaVariable();
}
