using System.Collections;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// The tensors of a torch.save file and, for a pytorch_fnet checkpoint (model.p), what it says about
/// the network: release_1 keeps the state dict under nn_state beside nn_module / nn_kwargs / count_iter;
/// master adds fnet_model_kwargs holding nn_class and nn_kwargs. Owns the tensors.
/// </summary>
internal sealed class PyTorchWeights : IDisposable
{
    private PyTorchWeights(Dictionary<string, Tensor> stateDict, string? networkModule, Hashtable? networkArguments, long? iterations)
    {
        StateDict = stateDict;
        NetworkModule = networkModule;
        NetworkArguments = networkArguments;
        Iterations = iterations;
    }

    public Dictionary<string, Tensor> StateDict { get; }

    /// <summary>nn_module (release_1, e.g. "fnet_nn_3d") or nn_class (master, e.g. "fnet.nn_modules.fnet_nn_3d.Net"); null for a plain state dict.</summary>
    public string? NetworkModule { get; }

    /// <summary>nn_kwargs of a checkpoint (depth, mult_chan, ...), when it has them.</summary>
    public Hashtable? NetworkArguments { get; }

    /// <summary>count_iter of a checkpoint: training iterations done.</summary>
    public long? Iterations { get; }

    public bool IsCheckpoint => NetworkModule is not null || Iterations is not null;

    public static PyTorchWeights Read(string path)
    {
        var content = TorchSaveArchive.Read(path);
        try
        {
            if (!content.ContainsKey("nn_state"))
            {
                return new PyTorchWeights(TensorsOf(content, path, "the file"), null, null, null);
            }

            var state = content["nn_state"] as Hashtable ?? throw new PyTorchImportException(
                path, PyTorchImportProblem.NotAStateDict, "nn_state is not a dictionary of tensors.");
            var modelArguments = content["fnet_model_kwargs"] as Hashtable;
            var module = content["nn_module"] as string ?? modelArguments?["nn_class"] as string;
            var arguments = content["nn_kwargs"] as Hashtable ?? modelArguments?["nn_kwargs"] as Hashtable;
            long? iterations = content["count_iter"] switch
            {
                int count => count,
                long count => count,
                _ => null,
            };
            var stateDict = TensorsOf(state, path, "nn_state");
            DisposeTensorsOutside(content, state);
            return new PyTorchWeights(stateDict, module ?? "unnamed", arguments, iterations);
        }
        catch
        {
            DisposeAllTensors(content);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var tensor in StateDict.Values)
        {
            tensor.Dispose();
        }
    }

    private static Dictionary<string, Tensor> TensorsOf(Hashtable table, string path, string what)
    {
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var strays = new List<string>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                stateDict[key] = tensor;
            }
            else
            {
                strays.Add($"{entry.Key} ({entry.Value?.GetType().Name ?? "None"})");
            }
        }

        if (strays.Count > 0 || stateDict.Count == 0)
        {
            throw new PyTorchImportException(path, PyTorchImportProblem.NotAStateDict,
                stateDict.Count == 0
                    ? $"{what} holds no tensors; expected a state dict or a pytorch_fnet checkpoint with nn_state."
                    : $"{what} is not a state dict: these entries are not named tensors: {NameList.Of(strays)}.");
        }

        return stateDict;
    }

    // The optimizer state (Adam moments) comes along in a checkpoint; only nn_state is kept.
    private static void DisposeTensorsOutside(Hashtable content, Hashtable kept)
    {
        foreach (DictionaryEntry entry in content)
        {
            if (!ReferenceEquals(entry.Value, kept))
            {
                DisposeAllTensors(entry.Value);
            }
        }
    }

    private static void DisposeAllTensors(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case IDictionary dictionary:
                foreach (var item in dictionary.Values)
                {
                    DisposeAllTensors(item);
                }

                break;
            case IEnumerable items when value is not string:
                foreach (var item in items)
                {
                    DisposeAllTensors(item);
                }

                break;
        }
    }
}
