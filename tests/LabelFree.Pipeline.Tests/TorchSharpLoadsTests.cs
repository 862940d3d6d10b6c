using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests;

public class TorchSharpLoadsTests
{
    [Fact]
    public void A_tensor_op_computes_the_right_values()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 4, 5, 6 });
        using var dot = a.dot(b);
        Assert.Equal(32f, dot.item<float>());
    }

    [Fact]
    public void A_conv3d_with_a_centre_tap_kernel_returns_its_input()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv3d(1, 1, kernel_size: 3, padding: 1, bias: false);
        using (no_grad())
        {
            conv.weight!.zero_();
            conv.weight[0, 0, 1, 1, 1] = 1f;
        }

        var input = rand(new long[] { 1, 1, 4, 8, 8 });
        var output = conv.forward(input);
        Assert.Equal(new long[] { 1, 1, 4, 8, 8 }, output.shape);
        Assert.True(output.allclose(input));
    }
}
