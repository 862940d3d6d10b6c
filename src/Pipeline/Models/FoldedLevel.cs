using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One level of <see cref="FoldedFnet"/>: the same arithmetic as <see cref="FnetLevel"/> in eval mode, with every
/// batch norm folded into the convolution before it, ReLU applied in place, every tensor freed the moment it
/// is no longer needed, and the skip and upsampled tensors convolved separately instead of concatenated first.
/// The top level of the paper's network then peaks near half the memory per voxel of the training-shaped one.
/// </summary>
internal sealed class FoldedLevel : IDisposable
{
    private readonly FoldedConvolution _more1;
    private readonly FoldedConvolution _more2;
    private readonly FoldedConvolution? _down;
    private readonly FoldedConvolution? _up;
    private readonly FoldedConvolution? _less1;
    private readonly FoldedConvolution? _less2;
    private readonly FoldedLevel? _below;

    public FoldedLevel(IReadOnlyDictionary<string, Tensor> state, string prefix, int dimensions, int depth)
    {
        FoldedConvolution Fold(string convolution, string norm, FnetConvolutionKind kind, long? firstInputChannels = null) =>
            FoldedConvolution.From(state, prefix + convolution, prefix + norm, kind, dimensions, firstInputChannels);

        _more1 = Fold("sub_2conv_more.conv1", "sub_2conv_more.bn1", FnetConvolutionKind.SizeKeeping);
        _more2 = Fold("sub_2conv_more.conv2", "sub_2conv_more.bn2", FnetConvolutionKind.SizeKeeping);
        if (depth > 0)
        {
            _down = Fold("conv_down", "bn0", FnetConvolutionKind.Halving);
            _up = Fold("convt", "bn1", FnetConvolutionKind.Doubling);
            _less1 = Fold("sub_2conv_less.conv1", "sub_2conv_less.bn1", FnetConvolutionKind.SizeKeeping, firstInputChannels: _more2.Weight.shape[0]);
            _less2 = Fold("sub_2conv_less.conv2", "sub_2conv_less.bn2", FnetConvolutionKind.SizeKeeping);
            _below = new FoldedLevel(state, prefix + "sub_u.", dimensions, depth - 1);
        }
    }

    /// <summary>The level's output; <paramref name="input"/> stays the caller's.</summary>
    public Tensor Forward(Tensor input)
    {
        var skip = Twice(_more1, _more2, input);
        if (_below is null)
        {
            return skip;
        }

        Tensor upsampled;
        using (skip)
        {
            using (var down = _down!.Forward(skip).relu_())
            using (var below = _below.Forward(down))
            {
                upsampled = _up!.Forward(below).relu_();
            }

            using (upsampled)
            using (var joined = _less1!.ForwardConcatenated(skip, upsampled).relu_())
            {
                return _less2!.Forward(joined).relu_();
            }
        }
    }

    public void ConvertTo(ScalarType type)
    {
        foreach (var convolution in Convolutions())
        {
            convolution.ConvertTo(type);
        }

        _below?.ConvertTo(type);
    }

    public void Dispose()
    {
        foreach (var convolution in Convolutions())
        {
            convolution.Dispose();
        }

        _below?.Dispose();
    }

    private static Tensor Twice(FoldedConvolution first, FoldedConvolution second, Tensor input)
    {
        using var once = first.Forward(input).relu_();
        return second.Forward(once).relu_();
    }

    private IEnumerable<FoldedConvolution> Convolutions() =>
        new[] { _more1, _more2, _down, _up, _less1, _less2 }.OfType<FoldedConvolution>();
}
