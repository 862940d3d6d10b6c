namespace LabelFree.Worker.Storage;

/// <summary>
/// A part of storage the worker may touch: a container and a name prefix inside it ("" for the whole
/// container, "predictions/" for outputs, "models/" for model bundles).
/// </summary>
public sealed record StorageArea(string Container, string Prefix)
{
    /// <summary>True when <paramref name="name"/> lies in this area of <paramref name="container"/>.</summary>
    public bool Contains(string container, string name) =>
        string.Equals(Container, container, StringComparison.Ordinal) && name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>"container/prefix", for messages.</summary>
    public override string ToString() => $"{Container}/{Prefix}";
}
