namespace LabelFree.Worker.Hosting;

/// <summary>Where a model bundle is stored: a container and the folder prefix holding its files.</summary>
public sealed class ModelLocationOptions
{
    /// <summary>The container; null means LabelFree:Storage:ModelContainer.</summary>
    public string? Container { get; set; }

    /// <summary>The bundle's folder, e.g. "models/dna/v3/" (must lie under models/ and end with '/').</summary>
    public string Prefix { get; set; } = "";

    /// <summary>"container/prefix" ("(model container)" when the container is not set).</summary>
    public override string ToString() => $"{Container ?? "(model container)"}/{Prefix}";
}
