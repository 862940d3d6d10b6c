using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// How each kind of fnet convolution is computed, for training (<see cref="FnetConvolution"/>) and prediction
/// (<see cref="FoldedConvolution"/>) alike: libtorch's forward convolution for kernel 3 and the stride-2
/// kernel 2; one matrix product (einsum) for the transposed kernel 2, stride 2, where each output voxel takes
/// exactly one tap, because oneDNN builds a transposed convolution from its backward-data kernel.
/// </summary>
internal static class FnetArithmetic
{
    public static Tensor Apply(FnetConvolutionKind kind, int dimensions, Tensor input, Tensor weight, Tensor? bias) => kind switch
    {
        FnetConvolutionKind.SizeKeeping => Convolve(dimensions, input, weight, bias, stride: 1, padding: 1),
        FnetConvolutionKind.Halving => Convolve(dimensions, input, weight, bias, stride: 2, padding: 0),
        _ => Doubled(dimensions, input, weight, bias),
    };

    private static Tensor Convolve(int dimensions, Tensor input, Tensor weight, Tensor? bias, long stride, long padding)
    {
        var strides = Enumerable.Repeat(stride, dimensions).ToArray();
        var paddings = Enumerable.Repeat(padding, dimensions).ToArray();
        return dimensions == 3
            ? nn.functional.conv3d(input, weight, bias, strides: strides, padding: paddings)
            : nn.functional.conv2d(input, weight, bias, strides: strides, padding: paddings);
    }

    // Output voxel (2z+a, 2y+b, 2x+d) of channel o takes input voxel (z, y, x) times weight[c, o, a, b, d], summed over c.
    // The output keeps the input's memory order (channels-last in prediction, see ChannelsLast), as libtorch's
    // convolutions do, so the next convolution needs no reordered copy.
    private static Tensor Doubled(int dimensions, Tensor input, Tensor weight, Tensor? bias)
    {
        var n = input.shape[0];
        var channels = weight.shape[1];
        long[] doubled = [.. input.shape.Skip(2).Select(size => 2 * size)];
        using var voxels = ChannelsLast.Is(input) ? DoubledChannelsLast(dimensions, input, weight, n, channels, doubled)
            : DoubledChannelsFirst(dimensions, input, weight, n, channels, doubled);
        if (bias is null)
        {
            return voxels.alias();
        }

        using var shaped = bias.reshape([1, channels, .. Enumerable.Repeat(1L, dimensions)]);
        return voxels.add(shaped);
    }

    private static Tensor DoubledChannelsFirst(int dimensions, Tensor input, Tensor weight, long n, long channels, long[] doubled)
    {
        using var taps = dimensions == 3
            ? einsum("nczyx,coabd->nozaybxd", input, weight)
            : einsum("ncyx,coab->noyaxb", input, weight);
        return taps.reshape([n, channels, .. doubled]);
    }

    private static Tensor DoubledChannelsLast(int dimensions, Tensor input, Tensor weight, long n, long channels, long[] doubled)
    {
        using var taps = dimensions == 3
            ? einsum("nczyx,coabd->nzaybxdo", input, weight)
            : einsum("ncyx,coab->nyaxbo", input, weight);
        using var stored = taps.reshape([n, .. doubled, channels]);
        return dimensions == 3 ? stored.permute(0, 4, 1, 2, 3) : stored.permute(0, 3, 1, 2);
    }
}
