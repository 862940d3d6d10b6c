namespace LabelFree.Worker.Hosting;

/// <summary>
/// Everything the worker is configured with: the "LabelFree" section of appsettings.json, overridden by
/// environment variables such as LABELFREE__Broker__Url (double underscore = section separator).
/// Checked at start by <see cref="WorkerOptionsValidator"/>; a bad value stops the worker with a
/// message naming the setting.
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LabelFree";

    /// <summary>Message broker and consumer behaviour.</summary>
    public BrokerOptions Broker { get; set; } = new();

    /// <summary>Where inputs, outputs and models are stored.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>The structure models to load at start, one entry per structure and modality.</summary>
    public List<StructureModelOptions> Models { get; set; } = [];

    /// <summary>The format of each stack's prediction.</summary>
    public OutputOptions Output { get; set; } = new();

    /// <summary>Tiled prediction settings.</summary>
    public PredictionOptions Prediction { get; set; } = new();

    /// <summary>
    /// After SIGTERM, how long the current stack may take to finish before it is cancelled and its
    /// message returned to the queue. Keep it below Kubernetes' terminationGracePeriodSeconds.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The HTTP endpoints for /metrics, /healthz and /readyz.</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>A one-line summary safe to log: secrets are never included.</summary>
    public override string ToString() =>
        $"Broker: {Broker}; Storage: {Storage}; Models: {Models.Count} ({string.Join(", ", Models)}); " +
        $"Output: {Output}; Prediction: {Prediction}; ShutdownGracePeriod: {ShutdownGracePeriod}; Http: {Http}";
}
