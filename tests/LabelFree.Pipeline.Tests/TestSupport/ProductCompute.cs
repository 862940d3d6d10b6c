using System.Runtime.CompilerServices;
using LabelFree.Compute;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Pipeline.Tests.TestSupport;

/// <summary>
/// Test processes compute at the level the product would choose on this machine: before any test touches
/// libtorch, the level that passes the self-test for float32 inference and training (and bfloat16 inference
/// when some level passes all three) is applied, exactly as `labelfree train` or `serve` would apply it.
/// </summary>
public static class ProductCompute
{
    public static ComputeChoice Float32 { get; private set; } = null!;

#pragma warning disable CA2255 // a module initializer is the one hook that runs before any test touches libtorch
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyBeforeAnyTest()
    {
        var settings = ComputeSettings.FromEnvironment();
        var all = ComputeGate.Ensure(ComputePaths.All, settings);
        Float32 = all.Refused ? ComputeGate.Ensure([ComputePath.Float32Inference, ComputePath.Float32Training], settings) : all;
        if (Float32.Refused)
        {
            // The product refuses to train and predict on this machine: every test of it would be meaningless.
            throw new InvalidOperationException(Float32.Describe());
        }
    }

    /// <summary>The product's verdict on bfloat16 inference at this process's level; refused when no level passes all paths.</summary>
    public static ComputeChoice BFloat16() => ComputeGate.Ensure([ComputePath.BFloat16Inference], ComputeSettings.FromEnvironment());
}
