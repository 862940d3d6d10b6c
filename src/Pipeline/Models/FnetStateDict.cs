using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Matches a state dict read from a file against the fnet network: infers the architecture from the
/// tensor shapes, then copies every tensor in, refusing missing, extra or wrongly shaped keys by name.
/// </summary>
internal static class FnetStateDict
{
    private const string FirstConvolution = "net_recurse.sub_2conv_more.conv1.weight";
    private const string OutputConvolution = "conv_out.weight";
    private const string BatchCounter = ".num_batches_tracked";

    /// <summary>
    /// Dimensions and input channels from the first convolution's weight (out, in, k, k[, k]); mult_chan
    /// from its output channels; depth from how deep the sub_u chain goes; output channels from conv_out.
    /// </summary>
    public static FnetArchitecture Infer(IReadOnlyDictionary<string, Tensor> stateDict, string path)
    {
        if (!stateDict.TryGetValue(FirstConvolution, out var first) || !stateDict.TryGetValue(OutputConvolution, out var last))
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.ArchitectureMismatch,
                $"not an fnet state dict: it lacks {FirstConvolution} or {OutputConvolution}. Its first keys: {NameList.Of(stateDict.Keys.Take(12).ToList())}.");
        }

        var dimensions = (int)first.shape.Length - 2;
        if (dimensions is not (2 or 3) || last.shape.Length != first.shape.Length)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.ArchitectureMismatch,
                $"{FirstConvolution} has shape ({string.Join(", ", first.shape)}) and {OutputConvolution} " +
                $"({string.Join(", ", last.shape)}); an fnet has 2D (4 numbers) or 3D (5 numbers) convolution weights throughout.");
        }

        var depth = 0;
        while (stateDict.ContainsKey("net_recurse." + string.Concat(Enumerable.Repeat("sub_u.", depth + 1)) + "sub_2conv_more.conv1.weight"))
        {
            depth++;
        }

        return new FnetArchitecture(
            Dimensions: dimensions,
            Depth: depth,
            MultChan: (int)first.shape[0],
            InChannels: (int)first.shape[1],
            OutChannels: (int)last.shape[0]);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="network"/> (converting float64/float16 to the
    /// network's type). Missing num_batches_tracked counters are allowed: PyTorch before 0.4.1 did not write
    /// them, and eval-mode prediction never reads them.
    /// </summary>
    public static void CopyInto(Fnet network, IReadOnlyDictionary<string, Tensor> source, string path)
    {
        var target = network.state_dict();
        var missing = target.Keys.Where(key => !source.ContainsKey(key) && !key.EndsWith(BatchCounter, StringComparison.Ordinal)).ToList();
        var unexpected = source.Keys.Where(key => !target.ContainsKey(key)).ToList();
        var misshapen = source
            .Where(pair => target.TryGetValue(pair.Key, out var wanted) && !SameShape(wanted, pair.Value))
            .Select(pair => $"{pair.Key} is ({string.Join(", ", pair.Value.shape)}), the network needs ({string.Join(", ", target[pair.Key].shape)})")
            .ToList();
        var mistyped = source
            .Where(pair => target.TryGetValue(pair.Key, out var wanted) && wanted.is_floating_point() && !pair.Value.is_floating_point())
            .Select(pair => $"{pair.Key} holds {pair.Value.dtype}")
            .ToList();

        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"missing keys: {NameList.Of(missing)}");
        }

        if (unexpected.Count > 0)
        {
            problems.Add($"unexpected keys: {NameList.Of(unexpected)}");
        }

        if (misshapen.Count > 0)
        {
            problems.Add($"wrong shapes: {NameList.Of(misshapen)}");
        }

        if (mistyped.Count > 0)
        {
            problems.Add($"not floating point: {NameList.Of(mistyped)}");
        }

        if (problems.Count > 0)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.ArchitectureMismatch,
                $"the tensors do not fit a {network.Architecture}: {string.Join("; ", problems)}.");
        }

        using var noGrad = no_grad();
        foreach (var (key, tensor) in source)
        {
            var destination = target[key];
            using var reshaped = tensor.reshape(destination.shape);
            destination.copy_(reshaped);
        }
    }

    // PyBridge reads a 0-d tensor (num_batches_tracked) as shape (1); a single value fits either way.
    private static bool SameShape(Tensor wanted, Tensor found) =>
        wanted.shape.SequenceEqual(found.shape)
        || (wanted.numel() == 1 && found.numel() == 1 && wanted.shape.Length <= 1 && found.shape.Length <= 1);
}
