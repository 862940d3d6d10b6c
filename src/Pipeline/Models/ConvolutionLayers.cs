using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Builds the 2D or 3D flavour of each layer kind the fnet U-Net uses, so one network definition
/// serves both the 3D light-microscopy models and the 2D EM model.
/// </summary>
internal static class ConvolutionLayers
{
    /// <summary>Kernel 3, stride 1, zero padding 1: keeps the spatial size. Bias kept, as in the reference.</summary>
    public static nn.Module<Tensor, Tensor> SizeKeeping(int dimensions, long inChannels, long outChannels) =>
        FnetConvolution.SizeKeeping(dimensions, inChannels, outChannels);

    /// <summary>Kernel 2, stride 2: halves every spatial size.</summary>
    public static nn.Module<Tensor, Tensor> Halving(int dimensions, long channels) =>
        FnetConvolution.Halving(dimensions, channels);

    /// <summary>Transposed kernel 2, stride 2: doubles every spatial size.</summary>
    public static nn.Module<Tensor, Tensor> Doubling(int dimensions, long inChannels, long outChannels) =>
        FnetConvolution.Doubling(dimensions, inChannels, outChannels);

    /// <summary>PyTorch defaults: eps 1e-5, momentum 0.1, affine, running statistics tracked.</summary>
    public static nn.Module<Tensor, Tensor> BatchNorm(int dimensions, long channels) =>
        dimensions == 3 ? nn.BatchNorm3d(channels) : nn.BatchNorm2d(channels);
}
