using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// One network of the known answers: its architecture and starting state, an input and a target, and what
/// PyTorch's float64 reference computed from them (eval output; loss, gradients and Adam-updated state of
/// one training step). See tests/LabelFree.Pipeline.Tests/Fixtures/KnownAnswers/make_known_answers.py.
/// </summary>
public sealed class KnownAnswerCase
{
    private readonly IReadOnlyDictionary<string, NumpyArray> _arrays;

    public KnownAnswerCase(string name, IReadOnlyDictionary<string, NumpyArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        Name = name;
        _arrays = arrays;
        var architecture = Array("architecture").Integers ?? throw new InvalidDataException($"{name}/architecture is not an integer array.");
        Architecture = new FnetArchitecture((int)architecture[0], (int)architecture[1], (int)architecture[2], (int)architecture[3], (int)architecture[4]);
    }

    public string Name { get; }

    public FnetArchitecture Architecture { get; }

    public NumpyArray Input => Array("input");

    public NumpyArray Target => Array("target");

    /// <summary>The eval-mode output for <see cref="Input"/>.</summary>
    public NumpyArray Output => Array("output");

    /// <summary>The MSE loss of the training step.</summary>
    public float Loss => Array("loss").RequireFloats(Name + "/loss")[0];

    public NumpyArray Gradient(string parameter) => Array("grad/" + parameter);

    /// <summary>A state-dict entry after the training step (parameters and batch-norm statistics).</summary>
    public NumpyArray Updated(string key) => Array("updated/" + key);

    /// <summary>A new network holding the starting state exactly.</summary>
    public Fnet CreateNetwork()
    {
        var network = Fnet.Create(Architecture);
        try
        {
            using var noGrad = no_grad();
            var state = network.state_dict();
            foreach (var (key, tensor) in state)
            {
                var array = Array("state/" + key);
                using var source = array.Floats is { } floats
                    ? torch.tensor(floats, array.ShapeArray)
                    : torch.tensor(array.Integers!, array.ShapeArray);
                tensor.copy_(source);
            }

            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private NumpyArray Array(string item) =>
        _arrays.TryGetValue($"{Name}/{item}", out var array)
            ? array
            : throw new InvalidDataException($"The known answers lack {Name}/{item}.");
}
