using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Benchmarks;

/// <summary>
/// An untrained fnet whose output varies as much as a trained one's, for speed and precision
/// measurements. Speed does not depend on the weights' values, but the bfloat16-vs-float32 agreement
/// does: release_1's N(0, 0.02) weights shrink activations by an order of magnitude per layer, leaving
/// a nearly constant output whose rounding noise a correlation would be judging. He initialisation
/// (std sqrt(2 / fan-in)) keeps the activation scale through every conv + ReLU instead.
/// </summary>
public static class SignalPreservingNetwork
{
    public const string Description =
        "random He-scaled weights (std sqrt(2/fan-in)), batch norm in eval mode with fresh statistics";

    public static Fnet Create(FnetArchitecture architecture, long seed)
    {
        var network = Fnet.Create(architecture, seed);
        using var noGrad = no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            // Conv weights are (out, in, k...): each output sums in x taps inputs. A stride-2 kernel-2
            // transposed conv's weights are (in, out, k...) and each output voxel receives exactly one tap
            // per input channel, so its fan-in is the input channel count.
            var (weight, fanIn) = module switch
            {
                FnetConvolution { Kind: FnetConvolutionKind.Doubling } transposed => (transposed.Weight, transposed.Weight.shape[0]),
                FnetConvolution conv => (conv.Weight, conv.Weight.shape[1] * Taps(conv.Weight)),
                _ => (null, 0L),
            };
            if (weight is not null)
            {
                nn.init.normal_(weight, 0, Math.Sqrt(2.0 / fanIn));
            }
        }

        network.eval();
        return network;
    }

    private static long Taps(Tensor weight) => weight.shape.Skip(2).Aggregate(1L, (product, size) => product * size);
}
