using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// An fnet network for prediction: the weights of a trained <see cref="Fnet"/> with its eval-mode batch norms
/// folded into the convolutions (<see cref="FoldedConvolution"/>), computing the same output to float rounding
/// in fewer passes over the activations and about half the peak memory per voxel. Built per predictor; the
/// source network is not changed. Forward only (no gradients).
/// </summary>
public sealed class FoldedFnet : IDisposable
{
    private readonly FoldedLevel _top;
    private readonly FoldedConvolution _output;

    private FoldedFnet(FnetArchitecture architecture, FoldedLevel top, FoldedConvolution output)
    {
        Architecture = architecture;
        _top = top;
        _output = output;
    }

    public FnetArchitecture Architecture { get; }

    /// <summary>Element type of the weights: float32, or bfloat16 after <see cref="ConvertTo"/>.</summary>
    public ScalarType Precision { get; private set; } = ScalarType.Float32;

    public static FoldedFnet From(Fnet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var architecture = network.Architecture;
        var state = network.state_dict();
        var top = new FoldedLevel(state, "net_recurse.", architecture.Dimensions, architecture.Depth);
        var output = FoldedConvolution.From(state, "conv_out", null, FnetConvolutionKind.SizeKeeping, architecture.Dimensions);
        return new FoldedFnet(architecture, top, output);
    }

    /// <summary>(batch, channels, [Z,] Y, X) in, the prediction out; every spatial size a multiple of 2^depth.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var noGrad = no_grad();
        using var features = _top.Forward(input);
        return _output.Forward(features);
    }

    /// <summary>Converts every weight (bfloat16 prediction); inputs must then be of the same type.</summary>
    public void ConvertTo(ScalarType type)
    {
        _top.ConvertTo(type);
        _output.ConvertTo(type);
        Precision = type;
    }

    public void Dispose()
    {
        _top.Dispose();
        _output.Dispose();
    }
}
