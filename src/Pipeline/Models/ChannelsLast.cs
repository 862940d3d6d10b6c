using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// The channels-last memory order of an (N, C, [Z,] Y, X) tensor: the same shape and values, stored with the
/// channels of one voxel side by side (N, [Z,] Y, X, C). oneDNN's forward convolutions run much faster on it
/// than on channels-first tensors (on the 2-core EPYC dev machine, one thread: 32 -> 32 channels on 48x240x368
/// 2.3x, the stride-2 halving convolution 6.8x, 64 -> 64 1.8x), and libtorch keeps a convolution's output
/// channels-last when its weight is, so converting the weights once carries the order through the network.
/// TorchSharp 0.107 names the memory format but has no call that takes it, hence the permute round trip.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>A copy of <paramref name="tensor"/> in channels-last order (4 or 5 dimensions).</summary>
    public static Tensor Of(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.dim() switch
        {
            5 => Permuted(tensor, [0, 2, 3, 4, 1], [0, 4, 1, 2, 3]),
            4 => Permuted(tensor, [0, 2, 3, 1], [0, 3, 1, 2]),
            _ => throw new ArgumentException($"Channels-last order is for 4- or 5-dimensional tensors, not {tensor.dim()}.", nameof(tensor)),
        };
    }

    /// <summary>Whether <paramref name="tensor"/> holds several channels side by side per voxel.</summary>
    public static bool Is(Tensor tensor) => tensor.dim() >= 4 && tensor.shape[1] > 1 && tensor.stride(1) == 1;

    private static Tensor Permuted(Tensor tensor, long[] toLast, long[] back)
    {
        using var last = tensor.permute(toLast);
        using var stored = last.contiguous();
        return stored.permute(back);
    }
}
