using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One convolution of the fnet U-Net: kernel 3, stride 1, zero padding 1 (keeps the size), kernel 2,
/// stride 2 (halves it) or its transpose (doubles it). It has the parameters of PyTorch's ConvNd and
/// ConvTransposeNd (state-dict keys weight and bias, drawn by PyTorch's default initialisation in the same
/// order), so checkpoints and seeded networks are those of the reference; what differs is which kernels
/// compute it.
/// </summary>
/// <remarks>
/// libtorch 2.10 hands a convolution's input gradient, and the whole of a transposed convolution's forward
/// pass, to oneDNN 3.7.1's convolution backward-data kernel, which on some CPUs reads memory it never wrote
/// (../shared/repro/conv-backward-input: a 32 -> 1 convolution's input gradient non-finite in 1-2 of 20 passes
/// on a heap of recycled memory; fnet's last layer is such a convolution, and its input gradient feeds every
/// other layer). So that kernel never runs here: in training libtorch differentiates a convolution with
/// respect to weight and bias only (oneDNN's backward-weights kernel, never implicated) and
/// <see cref="ConvolutionInputGradient"/> supplies the input gradient from a forward convolution or a matrix
/// product; a transposed convolution, where each output voxel takes exactly one tap, is one matrix product
/// (einsum) forward and backward, which is also faster than oneDNN's deconvolution (2.5 s vs 1.5 s for
/// 64 -> 32 channels onto 48x240x368 on the 2-core dev machine).
/// </remarks>
#pragma warning disable IDE1006 // field names are the reference's state-dict names
internal sealed class FnetConvolution : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int _dimensions;
    private readonly FnetConvolutionKind _kind;

    private FnetConvolution(Parameter templateWeight, Parameter templateBias, int dimensions, FnetConvolutionKind kind)
        : base(kind == FnetConvolutionKind.Doubling ? $"ConvTranspose{dimensions}d" : $"Conv{dimensions}d")
    {
        weight = new Parameter(templateWeight.detach().clone());
        bias = new Parameter(templateBias.detach().clone());
        _dimensions = dimensions;
        _kind = kind;
        RegisterComponents();
    }

    public FnetConvolutionKind Kind => _kind;

    /// <summary>(out, in, k...) for a convolution; (in, out, k...) for a transposed one, as in PyTorch.</summary>
    public Tensor Weight => weight;

    /// <summary>Kernel 3, stride 1, zero padding 1: keeps the spatial size.</summary>
    public static FnetConvolution SizeKeeping(int dimensions, long inChannels, long outChannels)
    {
        using Convolution template = dimensions == 3
            ? nn.Conv3d(inChannels, outChannels, kernel_size: 3, padding: 1)
            : nn.Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1);
        return new FnetConvolution(template.weight!, template.bias!, dimensions, FnetConvolutionKind.SizeKeeping);
    }

    /// <summary>Kernel 2, stride 2: halves every spatial size.</summary>
    public static FnetConvolution Halving(int dimensions, long channels)
    {
        using Convolution template = dimensions == 3
            ? nn.Conv3d(channels, channels, kernel_size: 2, stride: 2)
            : nn.Conv2d(channels, channels, kernel_size: 2, stride: 2);
        return new FnetConvolution(template.weight!, template.bias!, dimensions, FnetConvolutionKind.Halving);
    }

    /// <summary>Transposed kernel 2, stride 2: doubles every spatial size.</summary>
    public static FnetConvolution Doubling(int dimensions, long inChannels, long outChannels)
    {
        using Convolution template = dimensions == 3
            ? nn.ConvTranspose3d(inChannels, outChannels, kernel_size: 2, stride: 2)
            : nn.ConvTranspose2d(inChannels, outChannels, kernel_size: 2, stride: 2);
        return new FnetConvolution(template.weight!, template.bias!, dimensions, FnetConvolutionKind.Doubling);
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A transposed convolution is a matrix product: autograd differentiates it without oneDNN.
        if (_kind == FnetConvolutionKind.Doubling || !input.requires_grad || !torch.is_grad_enabled())
        {
            return Convolve(input);
        }

        using var detached = input.detach();
        using var output = Convolve(detached);
        return ConvolutionInputGradient.Attach(output, input, weight);
    }

    private Tensor Convolve(Tensor input) => FnetArithmetic.Apply(_kind, _dimensions, input, weight, bias);
}
