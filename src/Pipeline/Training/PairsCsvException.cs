namespace LabelFree.Pipeline.Training;

/// <summary>A pairs CSV that cannot be used, naming the file and the reason.</summary>
public sealed class PairsCsvException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
