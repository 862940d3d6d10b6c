namespace LabelFree.Pipeline.Training;

/// <summary>A training image that cannot be used (e.g. smaller than the patch), naming it and the reason.</summary>
public sealed class TrainingDataException(string image, string reason) : Exception($"{image}: {reason}")
{
    public string Image { get; } = image;

    public string Reason { get; } = reason;
}
