namespace LabelFree.Worker.Hosting;

/// <summary>Where /metrics, /healthz and /readyz are served (LabelFree:Http).</summary>
public sealed class HttpOptions
{
    /// <summary>
    /// Listening URLs separated by ';'. Loopback by default; a container sets "http://+:8080" so the
    /// kubelet and Prometheus can reach it.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The URLs.</summary>
    public override string ToString() => Urls;
}
