using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Models;

/// <summary>Runs alone: it turns on libtorch's NaN fill of every new buffer, process-wide, while it runs.</summary>
[CollectionDefinition(nameof(FnetConvolutionTests), DisableParallelization = true)]
public sealed class FnetConvolutionCollection;

/// <summary>
/// fnet's convolutions never run libtorch's convolution backward-data kernel, which reads memory it never
/// wrote on some hosts: they compute their input gradient themselves (a forward convolution or a matrix
/// product), and the transposed ones are matrix products throughout. Checked the way the fault was found: on a heap where every new buffer starts as NaN and freed
/// memory is NaN, at many shapes, 2D and 3D, against float64 gradients from ATen's reference kernels.
/// </summary>
[Collection(nameof(FnetConvolutionTests))]
public class FnetConvolutionTests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // dimensions, kind (0 size-keeping, 1 halving, 2 doubling), in channels, out channels: channel counts
        // that oneDNN pads to its 8- and 16-channel blocks and ones it does not; fnet's last layer is 32 -> 1.
        { 2, 0, 32, 1 }, { 2, 0, 32, 2 }, { 2, 0, 8, 8 }, { 2, 0, 3, 5 }, { 2, 0, 16, 32 }, { 2, 1, 8, 8 }, { 2, 1, 32, 32 }, { 2, 2, 16, 8 }, { 2, 2, 64, 32 },
        { 3, 0, 32, 1 }, { 3, 0, 4, 4 }, { 3, 0, 2, 8 }, { 3, 0, 16, 16 }, { 3, 0, 64, 32 }, { 3, 1, 4, 4 }, { 3, 1, 16, 16 }, { 3, 2, 8, 4 }, { 3, 2, 64, 32 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_on_a_polluted_heap_are_finite_and_equal_the_float64_reference(int dimensions, int kind, int inChannels, int outChannels)
    {
        var convolutionKind = (FnetConvolutionKind)kind;
        using var scope = NewDisposeScope();
        var convolution = convolutionKind switch
        {
            FnetConvolutionKind.SizeKeeping => FnetConvolution.SizeKeeping(dimensions, inChannels, outChannels),
            FnetConvolutionKind.Halving => FnetConvolution.Halving(dimensions, inChannels),
            _ => FnetConvolution.Doubling(dimensions, inChannels, outChannels),
        };
        long[] shape = dimensions == 3 ? [2, inChannels, 8, 16, 16] : [4, inChannels, 32, 32];
        using var generator = new Generator(7);
        var input = randn(shape, generator: generator);
        var weight = convolution.Weight.detach().clone();
        var bias = convolution.named_parameters().Single(p => p.name == "bias").parameter.detach().clone();

        var reference = ReferenceGradients(input, weight, bias, dimensions, convolutionKind);
        Tensor[] actual;
        var junkFillWas = PollutedHeap.IsJunkFillEnabled;
        PollutedHeap.EnableJunkFill();
        try
        {
            PollutedHeap.Refill();
            actual = Gradients(convolution, input);
        }
        finally
        {
            if (!junkFillWas)
            {
                PollutedHeap.DisableJunkFill();
            }
        }

        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (var i = 0; i < names.Length; i++)
        {
            var difference = (actual[i].to(float64) - reference[i]).abs().max();
            var scale = reference[i].abs().max().item<double>();
            Assert.True(isfinite(actual[i]).all().item<bool>(), $"{names[i]} holds NaN or infinite values");
            Assert.True(difference.item<double>() <= 1e-4 * scale, $"{names[i]} differs by {difference.item<double>() / scale:E2} of its largest value");
        }
    }

    // Tensors belong to the caller's dispose scope.
    private static Tensor[] Gradients(FnetConvolution convolution, Tensor input)
    {
        var x = input.detach().clone().requires_grad_();
        convolution.zero_grad();
        var output = convolution.forward(x);
        var loss = output.square().sum();
        loss.backward();
        var parameters = convolution.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return [output.detach(), x.grad!, parameters["weight"].grad!, parameters["bias"].grad!];
    }

    // The same convolution in float64: libtorch has no oneDNN path for it, so ATen's own kernels compute it.
    // Tensors belong to the caller's dispose scope.
    private static Tensor[] ReferenceGradients(Tensor input, Tensor weight, Tensor bias, int dimensions, FnetConvolutionKind kind)
    {
        var x = input.to(float64).requires_grad_();
        var w = weight.to(float64).requires_grad_();
        var b = bias.to(float64).requires_grad_();
        long[] stride = Enumerable.Repeat(kind == FnetConvolutionKind.SizeKeeping ? 1L : 2L, dimensions).ToArray();
        long[] padding = Enumerable.Repeat(kind == FnetConvolutionKind.SizeKeeping ? 1L : 0L, dimensions).ToArray();
        var output = (kind, dimensions) switch
        {
            (FnetConvolutionKind.Doubling, 3) => nn.functional.conv_transpose3d(x, w, b, strides: stride),
            (FnetConvolutionKind.Doubling, _) => nn.functional.conv_transpose2d(x, w, b, strides: stride),
            (_, 3) => nn.functional.conv3d(x, w, b, strides: stride, padding: padding),
            _ => nn.functional.conv2d(x, w, b, strides: stride, padding: padding),
        };
        var loss = output.square().sum();
        loss.backward();
        return [output.detach(), x.grad!, w.grad!, b.grad!];
    }
}
