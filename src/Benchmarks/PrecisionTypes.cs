using LabelFree.Pipeline.Prediction;
using TorchSharp;

namespace LabelFree.Benchmarks;

/// <summary>The libtorch element type and the short name (fp32, bf16) of each prediction precision.</summary>
internal static class PrecisionTypes
{
    public static torch.ScalarType ScalarTypeOf(Precision precision) => precision switch
    {
        Precision.Float32 => torch.ScalarType.Float32,
        Precision.BFloat16 => torch.ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    public static string ShortName(Precision precision) => precision switch
    {
        Precision.Float32 => "fp32",
        Precision.BFloat16 => "bf16",
        _ => precision.ToString(),
    };
}
