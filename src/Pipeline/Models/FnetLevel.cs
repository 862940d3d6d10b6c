using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// One level of the recursive U-Net (pytorch_fnet's _Net_recurse). Level d > 0 runs:
/// double conv -> down conv -> BN -> ReLU -> level d-1 -> transposed conv -> BN -> ReLU ->
/// concatenate (skip first) -> double conv. Level 0 is the double conv alone.
/// </summary>
/// <remarks>
/// Field names are the reference's attribute names, declared in its order: TorchSharp registers
/// sub-modules under their field names (the state-dict keys) and skips null fields, so a level 0
/// has no keys the reference lacks.
/// </remarks>
#pragma warning disable IDE1006 // field names are the reference's state-dict names
internal sealed class FnetLevel : nn.Module<Tensor, Tensor>
{
    private readonly DoubleConvolution sub_2conv_more;
    private readonly DoubleConvolution? sub_2conv_less;
    private readonly nn.Module<Tensor, Tensor>? conv_down;
    private readonly nn.Module<Tensor, Tensor>? bn0;
    private readonly nn.Module<Tensor, Tensor>? convt;
    private readonly nn.Module<Tensor, Tensor>? bn1;
    private readonly FnetLevel? sub_u;

    /// <param name="outChannels">Channels this level works at (the top level: mult_chan; below: twice the parent's).</param>
    public FnetLevel(int dimensions, long inChannels, long outChannels, int depth)
        : base("_Net_recurse")
    {
        sub_2conv_more = new DoubleConvolution(dimensions, inChannels, outChannels);
        if (depth > 0)
        {
            sub_2conv_less = new DoubleConvolution(dimensions, 2 * outChannels, outChannels);
            conv_down = ConvolutionLayers.Halving(dimensions, outChannels);
            bn0 = ConvolutionLayers.BatchNorm(dimensions, outChannels);
            convt = ConvolutionLayers.Doubling(dimensions, 2 * outChannels, outChannels);
            bn1 = ConvolutionLayers.BatchNorm(dimensions, outChannels);
            sub_u = new FnetLevel(dimensions, outChannels, 2 * outChannels, depth - 1);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (sub_u is null)
        {
            return sub_2conv_more.forward(input);
        }

        using var skip = sub_2conv_more.forward(input);
        Tensor upsampled;
        using (var downsampled = conv_down!.forward(skip))
        using (var downActivated = bn0!.forward(downsampled).relu_())
        using (var below = sub_u.forward(downActivated))
        using (var up = convt!.forward(below))
        {
            upsampled = bn1!.forward(up).relu_();
        }

        using (upsampled)
        using (var joined = torch.cat(new[] { skip, upsampled }, 1))
        {
            return sub_2conv_less!.forward(joined);
        }
    }
}
