namespace LabelFree.Worker.Hosting;

/// <summary>
/// Whether the configured structure models are loaded, verified and warmed up. The model loader marks
/// it; /readyz reports not-ready until then, so Kubernetes sends no traffic to a cold worker.
/// </summary>
public sealed class ModelReadiness
{
    private volatile IReadOnlyList<string>? _loaded;

    /// <summary>True once <see cref="MarkLoaded"/> was called.</summary>
    public bool IsReady => _loaded is not null;

    /// <summary>The models reported loaded (empty before).</summary>
    public IReadOnlyList<string> LoadedModels => _loaded ?? [];

    /// <summary>Records that these models (e.g. "dna/v3") are loaded and warm.</summary>
    public void MarkLoaded(IEnumerable<string> models) => _loaded = models.ToArray();
}
