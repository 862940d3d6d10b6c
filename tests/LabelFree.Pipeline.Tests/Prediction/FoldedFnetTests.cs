using LabelFree.Pipeline.Models;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Prediction;

/// <summary>
/// The prediction network (batch norm folded in, activations in channels-last order) against the network it was
/// built from, in eval mode: the same output to float rounding, handed back in the plain order callers read.
/// </summary>
public class FoldedFnetTests
{
    [Theory]
    [InlineData(3, 2, new long[] { 1, 1, 16, 32, 48 })]
    [InlineData(2, 3, new long[] { 2, 1, 48, 64 })]
    public void The_folded_channels_last_network_predicts_what_the_trained_network_does(int dimensions, int depth, long[] shape)
    {
        var architecture = new FnetArchitecture(dimensions, depth, MultChan: 8, InChannels: 1, OutChannels: 1);
        using var network = RandomNetworks.CreateSignalPreserving(architecture, seed: 5);
        network.eval();
        using var folded = FoldedFnet.From(network);
        using var input = randn(shape, generator: new Generator(9));
        using var noGrad = no_grad();

        using var expected = network.forward(input);
        using var actual = folded.Forward(input);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.is_contiguous());
        var deviation = (actual - expected).abs().max().item<float>() / expected.std().item<float>();
        Assert.True(deviation < 1e-5, $"largest difference {deviation:g3} of the output's std");
    }
}
