using System.Globalization;
using System.Text;
using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.BioImageIo;

/// <summary>README.md of a bioimage.io package: what the model predicts, from what, at which sampling, and how to run it.</summary>
internal static class BioImageIoDocumentation
{
    public static string Build(ModelManifest manifest, string inputId)
    {
        var network = manifest.Network;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {manifest.Name}");
        text.AppendLine();
        text.AppendLine(FormattableString.Invariant(
            $"Label-free prediction: this {network.Dimensions}D fnet U-Net predicts **{manifest.Structure}** fluorescence from a **{manifest.InputModality}** image ") +
            "(Ounkomol et al., Nature Methods 2018, doi:10.1038/s41592-018-0111-2). It was exported by LabelFree (`labelfree export-bioimageio`).");
        text.AppendLine();
        text.AppendLine("## Input");
        text.AppendLine();
        if (network.Dimensions == 3)
        {
            var size = manifest.VoxelSize!.Value;
            text.AppendLine(FormattableString.Invariant(
                $"One {manifest.InputModality} z-stack, axes (batch, channel, z, y, x), sampled at {size.Z} x {size.Y} x {size.X} µm (z, y, x). ") +
                "Resample other stacks to this voxel size first: the network only knows this scale.");
        }
        else
        {
            var pixel = manifest.PixelSizeMicrometres is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p} µm pixels") : "the sampling it was trained on";
            text.AppendLine(CultureInfo.InvariantCulture, $"One {manifest.InputModality} image, axes (batch, channel, y, x), at {pixel}.");
        }

        text.AppendLine(FormattableString.Invariant(
            $"Every spatial size must be a multiple of {network.SpatialMultiple} (2^depth); pad (LabelFree reflects) or crop first. ") +
            "Pre-processing: `zero_mean_unit_variance` over the spatial axes of each image (LabelFree divides by the population " +
            "standard deviation without an epsilon; the difference is below 1e-6 relative).");
        text.AppendLine();
        text.AppendLine("## Output");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The predicted {manifest.Structure} channel on the input's grid, in z-score units of the training targets (no post-processing).");
        text.AppendLine();
        text.AppendLine("## Network");
        text.AppendLine();
        text.AppendLine(FormattableString.Invariant(
            $"`fnet.py` defines `Net(dims={network.Dimensions}, depth={network.Depth}, mult_chan={network.MultChan}, in_channels={network.InChannels}, out_channels={network.OutChannels})`; ") +
            "`weights.pt` is its state dict (module names as in pytorch_fnet). In PyTorch:");
        text.AppendLine();
        text.AppendLine("```python");
        text.AppendLine("import numpy, torch");
        text.AppendLine("from fnet import Net");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"net = Net(dims={network.Dimensions}, depth={network.Depth}, mult_chan={network.MultChan}, in_channels={network.InChannels}, out_channels={network.OutChannels})");
        text.AppendLine("net.load_state_dict(torch.load(\"weights.pt\")); net.eval()");
        text.AppendLine("x = numpy.load(\"test_input.npy\"); x = (x - x.mean()) / (x.std() + 1e-6)");
        text.AppendLine("with torch.no_grad(): y = net(torch.from_numpy(x)).numpy()   # compare with test_output.npy");
        text.AppendLine("```");
        text.AppendLine();
        if (manifest.Origin is { Length: > 0 } origin)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Origin of the weights: {origin}.");
            text.AppendLine();
        }

        if (manifest.TestMetrics is { } metrics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Test split: {System.Text.Json.JsonSerializer.Serialize(metrics)}.");
            text.AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"The test tensors were made by LabelFree's own predictor: `test_input.npy` is a simulated {manifest.InputModality} image on the model's grid (tensor `{inputId}`), `test_output.npy` LabelFree's prediction for it.");
        return text.ToString();
    }
}
