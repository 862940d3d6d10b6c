using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Two (conv k3 -> batch norm -> ReLU) steps: pytorch_fnet's SubNet2Conv.
/// </summary>
/// <remarks>
/// Field names are the reference's attribute names: TorchSharp registers sub-modules under their field
/// names, and those become the state-dict keys (conv1.weight, bn1.running_mean, ...).
/// </remarks>
#pragma warning disable IDE1006 // field names are the reference's state-dict names
internal sealed class DoubleConvolution : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;

    public DoubleConvolution(int dimensions, long inChannels, long outChannels)
        : base("SubNet2Conv")
    {
        conv1 = ConvolutionLayers.SizeKeeping(dimensions, inChannels, outChannels);
        bn1 = ConvolutionLayers.BatchNorm(dimensions, outChannels);
        conv2 = ConvolutionLayers.SizeKeeping(dimensions, outChannels, outChannels);
        bn2 = ConvolutionLayers.BatchNorm(dimensions, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // Each intermediate is freed as soon as the next one exists: a 3D forward on a whole stack
        // holds gigabytes otherwise. ReLU runs in place on the batch-norm output (as torchvision's
        // ResNets do): same values as the reference's out-of-place ReLU, one full-size tensor less,
        // and batch norm's backward does not need its output.
        using var convolved1 = conv1.forward(input);
        using var activated1 = bn1.forward(convolved1).relu_();
        using var convolved2 = conv2.forward(activated1);
        return bn2.forward(convolved2).relu_();
    }
}
