using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One fnet convolution with the eval-mode batch norm after it folded into its weights and bias
/// (W' = W x gamma / sqrt(var + eps) per output channel, b' = (b - mean) x gamma / sqrt(var + eps) + beta),
/// for prediction only: one pass over the activations instead of two, and no tensor for the normalised copy.
/// The weights of the libtorch convolutions are stored channels-last (<see cref="ChannelsLast"/>), so the
/// activations flow through the network in that order. A single-channel input (the network's first layer) is
/// given a zero second channel: oneDNN has no fast single-channel path (4.0 CPU-s for 1 -> 32 channels on
/// 48x240x368 as it is, 2.5 with the zero channel, same values to the bit).
/// </summary>
internal sealed class FoldedConvolution : IDisposable
{
    private const double BatchNormEpsilon = 1e-5;

    // The weights for the two halves of a concatenated input (the skip tensor first), cut once when built.
    private (Tensor First, Tensor Second)? _halves;

    // The input gets a zero second channel to meet the weight's two.
    private readonly bool _padsSingleChannel;

    private FoldedConvolution(FnetConvolutionKind kind, int dimensions, Tensor weight, Tensor bias, bool padsSingleChannel)
    {
        Kind = kind;
        Dimensions = dimensions;
        Weight = weight;
        Bias = bias;
        _padsSingleChannel = padsSingleChannel;
    }

    public FnetConvolutionKind Kind { get; }

    public int Dimensions { get; }

    /// <summary>(out, in, k...) for a convolution; (in, out, k...) for a transposed one.</summary>
    public Tensor Weight { get; private set; }

    public Tensor Bias { get; private set; }

    /// <summary>The convolution <paramref name="prefix"/> of a state dict, with the batch norm <paramref name="norm"/> folded in (none: as it is).</summary>
    /// <param name="firstInputChannels">For a convolution of two concatenated inputs: the first one's channels; its weights are cut in two now.</param>
    public static FoldedConvolution From(IReadOnlyDictionary<string, Tensor> state, string prefix, string? norm, FnetConvolutionKind kind, int dimensions,
        long? firstInputChannels = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var scope = NewDisposeScope();
        var weight = state[prefix + ".weight"].detach().to(float64);
        var bias = state[prefix + ".bias"].detach().to(float64);
        if (norm is not null)
        {
            var scale = state[norm + ".weight"].to(float64) / (state[norm + ".running_var"].to(float64) + BatchNormEpsilon).sqrt();
            var channelAxis = kind == FnetConvolutionKind.Doubling ? 1 : 0;
            var shape = Enumerable.Repeat(1L, dimensions + 2).ToArray();
            shape[channelAxis] = -1;
            weight = weight * scale.reshape(shape);
            bias = (bias - state[norm + ".running_mean"].to(float64)) * scale + state[norm + ".bias"].to(float64);
        }

        weight = weight.to(float32);
        var padsSingleChannel = kind != FnetConvolutionKind.Doubling && weight.shape[1] == 1;
        if (padsSingleChannel)
        {
            weight = nn.functional.pad(weight, ChannelPadding(dimensions));
        }

        if (kind != FnetConvolutionKind.Doubling)
        {
            weight = ChannelsLast.Of(weight);
        }

        var folded = new FoldedConvolution(kind, dimensions,
            weight.DetachFromDisposeScope(), bias.to(float32).contiguous().DetachFromDisposeScope(), padsSingleChannel);
        if (firstInputChannels is { } channels)
        {
            folded._halves = Halves(folded.Weight, channels);
        }

        return folded;
    }

    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_padsSingleChannel)
        {
            return FnetArithmetic.Apply(Kind, Dimensions, input, Weight, Bias);
        }

        using var padded = nn.functional.pad(input, ChannelPadding(Dimensions));
        using var ordered = ChannelsLast.Of(padded);
        return FnetArithmetic.Apply(Kind, Dimensions, ordered, Weight, Bias);
    }

    // torch's pad lists (before, after) per dimension from the last: one more channel after the first.
    private static long[] ChannelPadding(int dimensions) => [.. Enumerable.Repeat(0L, 2 * dimensions), 0, 1];

    /// <summary>The size-keeping convolution of two inputs that would otherwise be concatenated along channels first: no concatenated copy.</summary>
    public Tensor ForwardConcatenated(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var (firstWeight, secondWeight) = _halves ?? throw new InvalidOperationException("This convolution was not built for two concatenated inputs.");
        using var rest = FnetArithmetic.Apply(Kind, Dimensions, second, secondWeight, null);
        return FnetArithmetic.Apply(Kind, Dimensions, first, firstWeight, Bias).add_(rest);
    }

    /// <summary>Converts the weights in place (bfloat16 prediction).</summary>
    public void ConvertTo(ScalarType type)
    {
        var channels = _halves?.First.shape[1];
        DisposeHalves();
        var weight = Weight.to(type).DetachFromDisposeScope();
        var bias = Bias.to(type).DetachFromDisposeScope();
        Weight.Dispose();
        Bias.Dispose();
        Weight = weight;
        Bias = bias;
        if (channels is { } first)
        {
            _halves = Halves(Weight, first);
        }
    }

    public void Dispose()
    {
        DisposeHalves();
        Weight.Dispose();
        Bias.Dispose();
    }

    // Owned by this convolution, not by whatever dispose scope is open when it is built.
    private static (Tensor First, Tensor Second) Halves(Tensor weight, long firstChannels)
    {
        using var first = weight.narrow(1, 0, firstChannels);
        using var second = weight.narrow(1, firstChannels, weight.shape[1] - firstChannels);
        return (ChannelsLast.Of(first).DetachFromDisposeScope(), ChannelsLast.Of(second).DetachFromDisposeScope());
    }

    private void DisposeHalves()
    {
        if (_halves is { } halves)
        {
            halves.First.Dispose();
            halves.Second.Dispose();
            _halves = null;
        }
    }
}
