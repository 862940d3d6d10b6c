using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Models;

public class FnetTests
{
    [Fact]
    public void The_paper_3d_network_has_the_reference_parameter_count_and_state_dict_names()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper3D, seed: 1);

        // Hand count from the layer shapes (research/pytorch_fnet.md §1.4); PyTorch counts the same.
        Assert.Equal(23_280_769, network.ParameterCount);

        var stateDict = network.state_dict();
        Assert.Equal(184, stateDict.Count);
        Assert.Equal(158, stateDict.Keys.Count(key => !key.EndsWith("num_batches_tracked", StringComparison.Ordinal)));
        AssertShape(stateDict, "net_recurse.sub_2conv_more.conv1.weight", 32, 1, 3, 3, 3);
        AssertShape(stateDict, "net_recurse.sub_2conv_more.conv1.bias", 32);
        AssertShape(stateDict, "net_recurse.sub_2conv_less.conv1.weight", 32, 64, 3, 3, 3);
        AssertShape(stateDict, "net_recurse.conv_down.weight", 32, 32, 2, 2, 2);
        AssertShape(stateDict, "net_recurse.bn0.running_var", 32);
        AssertShape(stateDict, "net_recurse.convt.weight", 64, 32, 2, 2, 2);
        AssertShape(stateDict, "net_recurse.bn1.num_batches_tracked");
        AssertShape(stateDict, "net_recurse.sub_u.sub_u.sub_u.sub_u.sub_2conv_more.conv2.weight", 512, 512, 3, 3, 3);
        AssertShape(stateDict, "conv_out.weight", 1, 32, 3, 3, 3);
        AssertShape(stateDict, "conv_out.bias", 1);

        // The bottom level is a double conv only: no down/up modules, no less-block.
        Assert.DoesNotContain(stateDict.Keys, key => key.StartsWith("net_recurse.sub_u.sub_u.sub_u.sub_u.sub_2conv_less", StringComparison.Ordinal));
        Assert.DoesNotContain(stateDict.Keys, key => key.StartsWith("net_recurse.sub_u.sub_u.sub_u.sub_u.conv", StringComparison.Ordinal));
        Assert.DoesNotContain(stateDict.Keys, key => key.Contains("sub_u.sub_u.sub_u.sub_u.sub_u", StringComparison.Ordinal));
    }

    [Fact]
    public void The_paper_2d_network_has_the_reference_parameter_count()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper2D, seed: 1);

        Assert.Equal(8_116_225, network.ParameterCount);
        var stateDict = network.state_dict();
        Assert.Equal(184, stateDict.Count);
        AssertShape(stateDict, "net_recurse.convt.weight", 64, 32, 2, 2);
    }

    [Fact]
    public void Two_input_channels_add_only_the_first_convolution_weights()
    {
        // pytorch_fnet master's fnet_nn_3d_params with in_channels = 2: 23,281,633 (research/pytorch_fnet.md §1.4).
        using var network = Fnet.Create(FnetArchitecture.Paper3D with { InChannels = 2 }, seed: 1);

        Assert.Equal(23_281_633, network.ParameterCount);
    }

    [Fact]
    public void The_output_has_the_input_shape()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper3D, seed: 2);
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var input = randn(new long[] { 1, 1, 16, 32, 32 });
        var output = network.forward(input);

        Assert.Equal(new long[] { 1, 1, 16, 32, 32 }, output.shape);
        Assert.True(output.isfinite().all().item<bool>());
    }

    [Fact]
    public void A_2d_network_takes_a_batch_of_planes()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper2D with { Depth = 2, MultChan = 4 }, seed: 2);
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var output = network.forward(randn(new long[] { 3, 1, 32, 48 }));

        Assert.Equal(new long[] { 3, 1, 32, 48 }, output.shape);
    }

    [Fact]
    public void A_training_step_gives_every_parameter_a_finite_gradient()
    {
        // The forward frees intermediates early and applies ReLU in place on batch-norm outputs; autograd
        // must still have what it needs for the trainer's backward pass.
        using var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 2, MultChan = 4 }, seed: 6);
        network.train();
        using var scope = NewDisposeScope();

        var loss = nn.functional.mse_loss(network.forward(randn(new long[] { 2, 1, 8, 16, 16 })), zeros(new long[] { 2, 1, 8, 16, 16 }));
        loss.backward();

        foreach (var (name, parameter) in network.named_parameters())
        {
            Assert.True(parameter.grad is { } gradient && gradient.isfinite().all().item<bool>() && gradient.abs().sum().item<float>() > 0, name);
        }
    }

    [Theory]
    [InlineData(15, 32, 32, "Z = 15")]
    [InlineData(16, 40, 32, "Y = 40")]
    [InlineData(16, 32, 8, "X = 8")]
    public void A_size_that_is_not_a_multiple_of_16_is_refused_up_front(int z, int y, int x, string named)
    {
        using var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 4, MultChan = 2 }, seed: 3);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<NetworkInputShapeException>(() => network.forward(zeros(new long[] { 1, 1, z, y, x })));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("multiple of 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_channel_count_or_rank_is_refused()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 1, MultChan = 2 }, seed: 3);
        using var scope = NewDisposeScope();

        var channels = Assert.Throws<NetworkInputShapeException>(() => network.forward(zeros(new long[] { 1, 2, 4, 4, 4 })));
        var rank = Assert.Throws<NetworkInputShapeException>(() => network.forward(zeros(new long[] { 1, 1, 4, 4 })));

        Assert.Contains("1 input channel", channels.Message, StringComparison.Ordinal);
        Assert.Contains("1x1x4x4", rank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialisation_follows_the_reference_distributions()
    {
        using var network = Fnet.Create(FnetArchitecture.Paper3D, seed: 4);
        var stateDict = network.state_dict();

        // 512 x 512 x 27 draws: mean and std are pinned to well under 1 % of 0.02.
        var bottomConv = stateDict["net_recurse.sub_u.sub_u.sub_u.sub_u.sub_2conv_more.conv2.weight"];
        Assert.InRange(bottomConv.mean().item<float>(), -2e-4, 2e-4);
        Assert.InRange(bottomConv.std().item<float>(), 0.0199, 0.0201);
        var upConv = stateDict["net_recurse.sub_u.sub_u.sub_u.convt.weight"];
        Assert.InRange(upConv.std().item<float>(), 0.0195, 0.0205);

        var batchNormWeight = stateDict["net_recurse.sub_u.sub_u.sub_u.sub_u.sub_2conv_more.bn2.weight"];
        Assert.InRange(batchNormWeight.mean().item<float>(), 0.995, 1.005);
        Assert.InRange(batchNormWeight.std().item<float>(), 0.015, 0.025);
        Assert.Equal(0f, stateDict["net_recurse.sub_u.bn0.bias"].abs().max().item<float>());

        // Biases keep PyTorch's default: uniform within 1 / sqrt(fan_in), fan_in = 256 x 27 here.
        var bias = stateDict["net_recurse.sub_u.sub_u.sub_u.sub_u.sub_2conv_more.conv1.bias"];
        var bound = 1.0 / Math.Sqrt(256 * 27);
        Assert.InRange(bias.abs().max().item<float>(), 0.8 * bound, bound);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_different_ones()
    {
        var architecture = FnetArchitecture.Paper3D with { Depth = 2, MultChan = 4 };
        using var first = Fnet.Create(architecture, seed: 11);
        using var again = Fnet.Create(architecture, seed: 11);
        using var other = Fnet.Create(architecture, seed: 12);

        foreach (var (name, tensor) in first.state_dict())
        {
            Assert.True(tensor.equal(again.state_dict()[name]).all().item<bool>(), name);
        }

        Assert.False(first.state_dict()["net_recurse.sub_u.convt.weight"].equal(other.state_dict()["net_recurse.sub_u.convt.weight"]).all().item<bool>());
    }

    private static void AssertShape(Dictionary<string, Tensor> stateDict, string key, params long[] shape)
    {
        Assert.True(stateDict.ContainsKey(key), $"state dict lacks {key}");
        Assert.Equal(shape, stateDict[key].shape);
    }
}
