using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// The fnet convolutions at the channel counts of the paper's networks (the last 32 -> 1, a 64 -> 64, a
/// 128-channel halving, a 512 -> 256 doubling), 2D and 3D, checked against float64 computed here by ATen's
/// reference kernels (oneDNN has no float64 path). oneDNN chooses its kernels by channel count, so the small
/// fixture networks alone would not verify the kernels the product's networks run.
/// </summary>
internal static class ProductWidthLayers
{
    public static IReadOnlyList<ProductWidthLayer> All { get; } =
    [
        new(3, FnetConvolutionKind.SizeKeeping, 32, 1, [1, 32, 8, 16, 16]),
        new(3, FnetConvolutionKind.SizeKeeping, 64, 64, [1, 64, 4, 8, 8]),
        new(3, FnetConvolutionKind.Halving, 128, 128, [1, 128, 4, 8, 8]),
        new(3, FnetConvolutionKind.Doubling, 512, 256, [1, 512, 2, 4, 4]),
        new(2, FnetConvolutionKind.SizeKeeping, 32, 1, [1, 32, 32, 32]),
        new(2, FnetConvolutionKind.SizeKeeping, 64, 64, [1, 64, 16, 16]),
        new(2, FnetConvolutionKind.Halving, 128, 128, [1, 128, 16, 16]),
        new(2, FnetConvolutionKind.Doubling, 512, 256, [1, 512, 4, 4]),
    ];
}

/// <summary>One convolution of <see cref="ProductWidthLayers"/>: its shape, and its check on one compute path.</summary>
internal sealed record ProductWidthLayer(int Dimensions, FnetConvolutionKind Kind, long InChannels, long OutChannels, long[] InputShape)
{
    public string Name => $"{Kind} {Dimensions}D convolution {InChannels} -> {OutChannels}";

    public KnownAnswerCheck Check(ComputePath path)
    {
        using var scope = NewDisposeScope();
        using var convolution = Create();
        using var generator = new Generator(17);
        var input = randn(InputShape, generator: generator);
        using (no_grad())
        {
            foreach (var (_, parameter) in convolution.named_parameters())
            {
                // He scale: outputs keep the input's magnitude, so relative errors mean the same at every width.
                parameter.copy_(randn(parameter.shape, generator: generator) * Math.Sqrt(2.0 / FanIn(convolution)));
            }
        }

        var weight = convolution.Weight.detach().to(float64);
        var bias = convolution.named_parameters().Single(p => p.name == "bias").parameter.detach().to(float64);
        return path switch
        {
            ComputePath.Float32Inference => Forward(convolution, input, weight, bias),
            ComputePath.BFloat16Inference => Forward(convolution.to(ScalarType.BFloat16), input.to(ScalarType.BFloat16), weight, bias),
            ComputePath.Float32Training => Backward(convolution, input, weight, bias, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown compute path"),
        };
    }

    private KnownAnswerCheck Forward(FnetConvolution convolution, Tensor input, Tensor weight, Tensor bias)
    {
        using var noGrad = no_grad();
        var output = convolution.forward(input).to(float64);
        return Compare(output, Reference(input.to(float64), weight, bias), "the output");
    }

    private KnownAnswerCheck Backward(FnetConvolution convolution, Tensor input, Tensor weight, Tensor bias, Generator generator)
    {
        var x = input.detach().requires_grad_();
        var output = convolution.forward(x);
        var direction = randn(output.shape, generator: generator);
        (output * direction).sum().backward();

        var xd = input.to(float64).requires_grad_();
        var wd = weight.detach().requires_grad_();
        var bd = bias.detach().requires_grad_();
        (Reference(xd, wd, bd) * direction.to(float64)).sum().backward();

        var parameters = convolution.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return Compare(output.detach().to(float64), Reference(xd.detach(), wd.detach(), bd.detach()), "the output")
            .Worse(Compare(x.grad!.to(float64), xd.grad!, "the input gradient"))
            .Worse(Compare(parameters["weight"].grad!.to(float64), wd.grad!, "the weight gradient"))
            .Worse(Compare(parameters["bias"].grad!.to(float64), bd.grad!, "the bias gradient"));
    }

    private Tensor Reference(Tensor input, Tensor weight, Tensor bias)
    {
        var stride = Enumerable.Repeat(Kind == FnetConvolutionKind.SizeKeeping ? 1L : 2L, Dimensions).ToArray();
        var padding = Enumerable.Repeat(Kind == FnetConvolutionKind.SizeKeeping ? 1L : 0L, Dimensions).ToArray();
        return (Kind, Dimensions) switch
        {
            (FnetConvolutionKind.Doubling, 3) => nn.functional.conv_transpose3d(input, weight, bias, strides: stride),
            (FnetConvolutionKind.Doubling, _) => nn.functional.conv_transpose2d(input, weight, bias, strides: stride),
            (_, 3) => nn.functional.conv3d(input, weight, bias, strides: stride, padding: padding),
            _ => nn.functional.conv2d(input, weight, bias, strides: stride, padding: padding),
        };
    }

    private static KnownAnswerCheck Compare(Tensor actual, Tensor expected, string what)
    {
        if (!isfinite(actual).all().item<bool>())
        {
            return KnownAnswerCheck.Failed($"{what} holds NaN or infinite values");
        }

        var scale = Math.Max(expected.abs().max().item<double>(), double.Epsilon);
        return new KnownAnswerCheck((actual - expected).abs().max().item<double>() / scale, what, null);
    }

    private FnetConvolution Create() => Kind switch
    {
        FnetConvolutionKind.SizeKeeping => FnetConvolution.SizeKeeping(Dimensions, InChannels, OutChannels),
        FnetConvolutionKind.Halving => FnetConvolution.Halving(Dimensions, InChannels),
        _ => FnetConvolution.Doubling(Dimensions, InChannels, OutChannels),
    };

    private long FanIn(FnetConvolution convolution) => Kind == FnetConvolutionKind.Doubling
        ? InChannels
        : InChannels * convolution.Weight.shape.Skip(2).Aggregate(1L, (product, size) => product * size);
}
