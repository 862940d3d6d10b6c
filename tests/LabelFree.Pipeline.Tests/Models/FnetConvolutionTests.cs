using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Models;

/// <summary>Runs alone: it turns on libtorch's NaN fill of every new buffer, process-wide, while it runs.</summary>
[CollectionDefinition(nameof(FnetConvolutionTests), DisableParallelization = true)]
public sealed class FnetConvolutionCollection;

/// <summary>
/// fnet's convolutions compute their input gradient themselves (a forward convolution or a matrix product)
/// instead of with libtorch's convolution backward-data kernel, which reads memory it never wrote on some
/// hosts. Checked the way the fault was found: on a heap where every new buffer starts as NaN and freed
/// memory is NaN, at many shapes, 2D and 3D, against float64 gradients from ATen's reference kernels.
/// </summary>
[Collection(nameof(FnetConvolutionTests))]
public class FnetConvolutionTests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // dimensions, kernel (3: size-keeping, 2: halving), in channels, out channels: channel counts that
        // oneDNN pads to its 8- and 16-channel blocks and ones it does not; fnet's last layer is 32 -> 1.
        { 2, 3, 32, 1 }, { 2, 3, 32, 2 }, { 2, 3, 8, 8 }, { 2, 3, 3, 5 }, { 2, 3, 16, 32 }, { 2, 2, 8, 8 }, { 2, 2, 32, 32 },
        { 3, 3, 32, 1 }, { 3, 3, 4, 4 }, { 3, 3, 2, 8 }, { 3, 3, 16, 16 }, { 3, 3, 64, 32 }, { 3, 2, 4, 4 }, { 3, 2, 16, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_on_a_polluted_heap_are_finite_and_equal_the_float64_reference(int dimensions, int kernel, int inChannels, int outChannels)
    {
        using var convolution = kernel == 3
            ? FnetConvolution.SizeKeeping(dimensions, inChannels, outChannels)
            : FnetConvolution.Halving(dimensions, inChannels);
        long[] shape = dimensions == 3 ? [2, inChannels, 8, 16, 16] : [4, inChannels, 32, 32];
        using var generator = new Generator(7);
        using var input = randn(shape, generator: generator);
        using var weight = convolution.Weight.detach().clone();
        using var bias = convolution.named_parameters().Single(p => p.name == "bias").parameter.detach().clone();

        var reference = ReferenceGradients(input, weight, bias, dimensions, kernel);
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
            using var difference = (actual[i].to(float64) - reference[i]).abs().max();
            var scale = reference[i].abs().max().item<double>();
            Assert.True(isfinite(actual[i]).all().item<bool>(), $"{names[i]} holds NaN or infinite values");
            Assert.True(difference.item<double>() <= 1e-4 * scale, $"{names[i]} differs by {difference.item<double>() / scale:E2} of its largest value");
        }
    }

    private static Tensor[] Gradients(FnetConvolution convolution, Tensor input)
    {
        var x = input.detach().clone().requires_grad_();
        convolution.zero_grad();
        var output = convolution.forward(x);
        using var loss = output.square().sum();
        loss.backward();
        var parameters = convolution.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return [output.detach(), x.grad!, parameters["weight"].grad!, parameters["bias"].grad!];
    }

    // The same convolution in float64: libtorch has no oneDNN path for it, so ATen's own kernels compute it.
    private static Tensor[] ReferenceGradients(Tensor input, Tensor weight, Tensor bias, int dimensions, int kernel)
    {
        var x = input.to(float64).requires_grad_();
        var w = weight.to(float64).requires_grad_();
        var b = bias.to(float64).requires_grad_();
        long[] stride = Enumerable.Repeat(kernel == 3 ? 1L : 2L, dimensions).ToArray();
        long[] padding = Enumerable.Repeat(kernel == 3 ? 1L : 0L, dimensions).ToArray();
        var output = dimensions == 3
            ? nn.functional.conv3d(x, w, b, strides: stride, padding: padding)
            : nn.functional.conv2d(x, w, b, strides: stride, padding: padding);
        using var loss = output.square().sum();
        loss.backward();
        return [output.detach(), x.grad!, w.grad!, b.grad!];
    }
}
