using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Finds the parameters and buffers of a network that hold NaN or infinite values. One such value makes
/// every prediction NaN, so a network with any is unusable, however it was trained or converted.
/// </summary>
internal static class NonFiniteWeights
{
    /// <summary>Every floating-point tensor of the state dict with a NaN or infinite value, in state-dict order.</summary>
    public static IReadOnlyList<NonFiniteTensor> In(nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var found = new List<NonFiniteTensor>();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict())
        {
            if (!tensor.is_floating_point())
            {
                continue;
            }

            using var scope = NewDisposeScope();
            var count = isfinite(tensor).logical_not().sum().item<long>();
            if (count > 0)
            {
                found.Add(new NonFiniteTensor(name, count, tensor.numel()));
            }
        }

        return found;
    }
}
