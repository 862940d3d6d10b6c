using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Prediction;

/// <summary>Small random fnet networks and volumes for prediction tests.</summary>
internal static class RandomNetworks
{
    /// <summary>
    /// A seeded network with release_1's initialisation and non-trivial batch-norm running statistics
    /// (fresh ones are mean 0 / variance 1, which would hide eval-mode mistakes).
    /// </summary>
    public static Fnet Create(FnetArchitecture architecture, long seed)
    {
        var network = Fnet.Create(architecture, seed);
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, buffer) in network.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.copy_(randn(buffer.shape, generator: generator) * 0.1);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.copy_(rand(buffer.shape, generator: generator) * 0.5 + 0.5);
            }
        }

        return network;
    }

    /// <summary>
    /// Like <see cref="Create"/> but with He-scaled weights (std sqrt(2 / fan_in)), so the output varies as
    /// much as the input does; release_1's N(0, 0.02) shrinks the signal at every layer, leaving a nearly
    /// constant output whose low bits a precision test would be judging.
    /// </summary>
    public static Fnet CreateSignalPreserving(FnetArchitecture architecture, long seed)
    {
        var network = Create(architecture, seed);
        var generator = new Generator((ulong)seed + 1);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() > 1)
            {
                // Conv (out, in, k...): fan-in = in x taps. Transposed conv (in, out, k...): each output sees in x taps / 2^dims.
                var taps = parameter.shape.Skip(2).Aggregate(1L, (product, size) => product * size);
                var fanIn = name.Contains("convt", StringComparison.Ordinal) ? parameter.shape[0] : parameter.shape[1] * taps;
                nn.init.normal_(parameter, 0, Math.Sqrt(2.0 / fanIn), generator);
            }
        }

        return network;
    }

    public static Volume Volume(VolumeShape shape, int seed)
    {
        var random = new Random(seed);
        var voxels = new float[shape.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return new Volume(shape, voxels);
    }
}
