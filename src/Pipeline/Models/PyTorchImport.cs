using System.Collections;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Turns PyTorch weights into a <see cref="ModelBundle"/>: a plain state dict
/// (<c>torch.save(net.state_dict(), path)</c>) or a pytorch_fnet checkpoint (model.p, weights under nn_state).
/// Files are read without running anything in them: see <see cref="TorchSaveArchive"/>.
/// </summary>
public static class PyTorchImport
{
    /// <summary>
    /// Reads <paramref name="path"/>, infers the architecture from the tensor shapes (dimensions, depth,
    /// mult_chan, channels), checks it against <paramref name="expected"/> and against what a checkpoint
    /// says about itself (nn_module, nn_kwargs), and loads the weights into a new network.
    /// </summary>
    /// <exception cref="PyTorchImportException">The file is missing, unreadable, unsafe, or does not fit an fnet; the offending keys are listed.</exception>
    /// <exception cref="ArgumentException">The card leaves out something the model needs (e.g. a 3D model's voxel size).</exception>
    public static ModelBundle Import(string path, ModelCard card, FnetArchitecture? expected = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(card);
        using var weights = PyTorchWeights.Read(path);
        var architecture = FnetStateDict.Infer(weights.StateDict, path);
        if (expected is not null && expected != architecture)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.ArchitectureMismatch,
                $"the tensors describe a {architecture}, not the expected {expected}.");
        }

        RequireCheckpointAgrees(weights, architecture, path);
        var manifest = ModelManifest.Describe(card, architecture) with
        {
            Origin = weights.IsCheckpoint
                ? $"imported from {Path.GetFileName(path)} (pytorch_fnet checkpoint, {weights.NetworkModule})"
                : $"imported from {Path.GetFileName(path)} (PyTorch state dict)",
            Training = weights.Iterations is { } iterations ? new TrainingSummary { Iterations = iterations } : null,
        };

        var network = Fnet.Create(architecture);
        try
        {
            FnetStateDict.CopyInto(network, weights.StateDict, path);
            return new ModelBundle(manifest, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void RequireCheckpointAgrees(PyTorchWeights weights, FnetArchitecture architecture, string path)
    {
        var disagreements = new List<string>();
        var module = weights.NetworkModule ?? string.Empty;
        if ((module.Contains("2d", StringComparison.OrdinalIgnoreCase) && architecture.Dimensions != 2)
            || (module.Contains("3d", StringComparison.OrdinalIgnoreCase) && architecture.Dimensions != 3))
        {
            disagreements.Add($"nn_module {module} but {architecture.Dimensions}D weights");
        }

        if (weights.NetworkArguments is { } arguments)
        {
            Compare(arguments, "depth", architecture.Depth, disagreements);
            Compare(arguments, "in_channels", architecture.InChannels, disagreements);
            Compare(arguments, "out_channels", architecture.OutChannels, disagreements);

            // release_1's top level has in_channels x mult_chan channels, master's mult_chan: accept either.
            if (IntegerOf(arguments, "mult_chan") is { } multChan
                && multChan != architecture.MultChan && multChan * architecture.InChannels != architecture.MultChan)
            {
                disagreements.Add($"nn_kwargs mult_chan {multChan} but the first convolution has {architecture.MultChan} output channels");
            }
        }

        if (disagreements.Count > 0)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.ArchitectureMismatch,
                $"the checkpoint contradicts its own tensors: {string.Join("; ", disagreements)}.");
        }
    }

    private static void Compare(Hashtable arguments, string name, int inferred, List<string> disagreements)
    {
        if (IntegerOf(arguments, name) is { } stated && stated != inferred)
        {
            disagreements.Add($"nn_kwargs {name} {stated} but the tensors give {inferred}");
        }
    }

    private static long? IntegerOf(Hashtable arguments, string name) => arguments[name] switch
    {
        int value => value,
        long value => value,
        _ => null,
    };
}
