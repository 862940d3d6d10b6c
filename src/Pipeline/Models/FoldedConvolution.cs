using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One fnet convolution with the eval-mode batch norm after it folded into its weights and bias
/// (W' = W x gamma / sqrt(var + eps) per output channel, b' = (b - mean) x gamma / sqrt(var + eps) + beta),
/// for prediction only: one pass over the activations instead of two, and no tensor for the normalised copy.
/// </summary>
internal sealed class FoldedConvolution : IDisposable
{
    private const double BatchNormEpsilon = 1e-5;

    // The weights for the two halves of a concatenated input (the skip tensor first), cut once when built.
    private (Tensor First, Tensor Second)? _halves;

    private FoldedConvolution(FnetConvolutionKind kind, int dimensions, Tensor weight, Tensor bias)
    {
        Kind = kind;
        Dimensions = dimensions;
        Weight = weight;
        Bias = bias;
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

        var folded = new FoldedConvolution(kind, dimensions,
            weight.to(float32).contiguous().DetachFromDisposeScope(), bias.to(float32).contiguous().DetachFromDisposeScope());
        if (firstInputChannels is { } channels)
        {
            folded._halves = Halves(folded.Weight, channels);
        }

        return folded;
    }

    public Tensor Forward(Tensor input) => FnetArithmetic.Apply(Kind, Dimensions, input, Weight, Bias);

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
        return (first.contiguous().DetachFromDisposeScope(), second.contiguous().DetachFromDisposeScope());
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
