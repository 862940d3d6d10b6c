using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One convolution of the fnet U-Net: kernel 3, stride 1, zero padding 1 (keeps the size) or kernel 2,
/// stride 2 (halves it). It has PyTorch's ConvNd parameters (state-dict keys weight and bias, drawn by
/// PyTorch's default initialisation in the same order), so checkpoints and seeded networks are those of
/// nn.Conv2d/Conv3d; what differs is how training computes the gradient with respect to its input.
/// </summary>
/// <remarks>
/// libtorch 2.10 hands that gradient to oneDNN 3.7.1's convolution backward-data kernel, which on some
/// CPUs reads memory it never wrote (../shared/repro/conv-backward-input: a 32 -> 1 convolution's input
/// gradient non-finite in 1-2 of 20 passes on a heap of recycled memory; fnet's last layer is such a
/// convolution, and its input gradient feeds every other layer). So here libtorch differentiates the
/// convolution with respect to weight and bias only (oneDNN's backward-weights kernel, never implicated),
/// and <see cref="ConvolutionInputGradient"/> supplies the input gradient from a forward convolution or a
/// matrix product: kernels the inference path already runs and the self-test verifies. Same cost, same
/// values to float rounding.
/// </remarks>
#pragma warning disable IDE1006 // field names are the reference's state-dict names
internal sealed class FnetConvolution : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int _dimensions;
    private readonly long _stride;
    private readonly long _padding;

    private FnetConvolution(Convolution template, int dimensions, long stride, long padding)
        : base(dimensions == 3 ? "Conv3d" : "Conv2d")
    {
        weight = new Parameter(template.weight!.detach().clone());
        bias = new Parameter(template.bias!.detach().clone());
        _dimensions = dimensions;
        _stride = stride;
        _padding = padding;
        RegisterComponents();
    }

    public Tensor Weight => weight;

    /// <summary>Kernel 3, stride 1, zero padding 1: keeps the spatial size.</summary>
    public static FnetConvolution SizeKeeping(int dimensions, long inChannels, long outChannels)
    {
        using Convolution template = dimensions == 3
            ? nn.Conv3d(inChannels, outChannels, kernel_size: 3, padding: 1)
            : nn.Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1);
        return new FnetConvolution(template, dimensions, stride: 1, padding: 1);
    }

    /// <summary>Kernel 2, stride 2: halves every spatial size.</summary>
    public static FnetConvolution Halving(int dimensions, long channels)
    {
        using Convolution template = dimensions == 3
            ? nn.Conv3d(channels, channels, kernel_size: 2, stride: 2)
            : nn.Conv2d(channels, channels, kernel_size: 2, stride: 2);
        return new FnetConvolution(template, dimensions, stride: 2, padding: 0);
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.requires_grad || !torch.is_grad_enabled())
        {
            return Convolve(input);
        }

        using var detached = input.detach();
        using var output = Convolve(detached);
        return ConvolutionInputGradient.Attach(output, input, weight);
    }

    private Tensor Convolve(Tensor input)
    {
        var stride = Enumerable.Repeat(_stride, _dimensions).ToArray();
        var padding = Enumerable.Repeat(_padding, _dimensions).ToArray();
        return _dimensions == 3
            ? nn.functional.conv3d(input, weight, bias, strides: stride, padding: padding)
            : nn.functional.conv2d(input, weight, bias, strides: stride, padding: padding);
    }
}
