namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The metric names a dashboard queries, split by who exports them: <see cref="Worker"/> must appear
/// in a scrape of the worker's /metrics; <see cref="OtherSources"/> come from the RabbitMQ exporter
/// (rabbitmq_*), kube-state-metrics (kube_*) or Prometheus itself (up).
/// </summary>
public sealed record DashboardMetricNames(IReadOnlySet<string> Worker, IReadOnlySet<string> OtherSources);
