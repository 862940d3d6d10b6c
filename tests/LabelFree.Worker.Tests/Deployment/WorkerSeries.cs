namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The Prometheus series names the worker's /metrics serves that dashboards and alerts may query:
/// the LabelFree.Worker meter (src/Worker/Hosting/WorkerTelemetry.cs), MassTransit's meter and the
/// .NET runtime meter, as the OpenTelemetry Prometheus exporter names them (dots to underscores, unit
/// suffixes, _total on counters, _bucket/_sum/_count on histograms; MassTransit's unit "ea" shows as
/// _ea). Series measured on a scrape of the worker are what this list must stay true to.
/// </summary>
public static class WorkerSeries
{
    private static readonly string[] Counters =
    [
        "labelfree_stacks_predicted_total",
        "labelfree_stacks_registered_total",
        "labelfree_stacks_rejected_total",
        "labelfree_stacks_failed_total",
        "labelfree_storage_retries_total",
        "labelfree_storage_access_denied_total",
        "labelfree_predictions_out_of_distribution_total",
        "messaging_masstransit_consume_ea_total",
        "messaging_masstransit_consume_errors_ea_total",
        "messaging_masstransit_consume_retries_ea_total",
        "messaging_masstransit_receive_ea_total",
        "messaging_masstransit_send_ea_total",
        "dotnet_process_cpu_time_seconds_total",
        "dotnet_gc_collections_total",
        "dotnet_exceptions_total",
    ];

    private static readonly string[] Gauges =
    [
        "labelfree_stacks_in_flight",
        "dotnet_process_memory_working_set_bytes",
    ];

    private static readonly string[] Histograms =
    [
        "labelfree_stage_duration_seconds",
        "labelfree_voxels_per_second",
        "labelfree_model_load_duration_seconds",
        "labelfree_pearson_r",
        "messaging_masstransit_consume_duration_milliseconds",
        "messaging_masstransit_delivery_duration_milliseconds",
        "messaging_masstransit_receive_duration_milliseconds",
    ];

    public static IReadOnlySet<string> Names { get; } = Counters
        .Concat(Gauges)
        .Concat(Histograms.SelectMany(h => new[] { h + "_bucket", h + "_sum", h + "_count" }))
        .ToHashSet(StringComparer.Ordinal);
}
