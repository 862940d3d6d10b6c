namespace LabelFree.Pipeline.Compute;

/// <summary>The stable names of <see cref="ComputePath"/> values used on the command line, in JSON and in metrics.</summary>
public static class ComputePaths
{
    public static IReadOnlyList<ComputePath> All { get; } = Enum.GetValues<ComputePath>();

    /// <summary>The path prediction at this precision runs.</summary>
    public static ComputePath Inference(Prediction.Precision precision) =>
        precision == Prediction.Precision.BFloat16 ? ComputePath.BFloat16Inference : ComputePath.Float32Inference;

    public static string Name(ComputePath path) => path switch
    {
        ComputePath.Float32Inference => "fp32-inference",
        ComputePath.Float32Training => "fp32-training",
        ComputePath.BFloat16Inference => "bf16-inference",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown compute path"),
    };

    /// <exception cref="ArgumentException">Not one of the names <see cref="Name"/> gives.</exception>
    public static ComputePath Parse(string name)
    {
        foreach (var path in All)
        {
            if (string.Equals(Name(path), name, StringComparison.OrdinalIgnoreCase))
            {
                return path;
            }
        }

        throw new ArgumentException($"Unknown compute path '{name}'; known: {string.Join(", ", All.Select(Name))}.");
    }
}
