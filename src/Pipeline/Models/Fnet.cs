using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// The fnet U-Net of Ounkomol et al. (2018), 2D or 3D, with pytorch_fnet's module names so that
/// reference state dicts load by name (net_recurse.sub_u.sub_2conv_more.conv1.weight, ..., conv_out.bias).
/// Input and output: (batch, channels, [Z,] Y, X) float tensors; the output is linear (no activation).
/// </summary>
/// <remarks>
/// The top level works at <see cref="FnetArchitecture.MultChan"/> channels (pytorch_fnet master's rule;
/// release_1 used in_channels x mult_chan, which is the same for the single input channel it supported).
/// </remarks>
#pragma warning disable IDE1006 // field names are the reference's state-dict names
public sealed class Fnet : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict prefixes: TorchSharp registers sub-modules under their field names.
    private static readonly Lock GlobalGeneratorLock = new();

    private readonly FnetLevel net_recurse;
    private readonly nn.Module<Tensor, Tensor> conv_out;

    private Fnet(FnetArchitecture architecture)
        : base("Net")
    {
        Architecture = architecture;
        net_recurse = new FnetLevel(architecture.Dimensions, architecture.InChannels, architecture.MultChan, architecture.Depth);
        conv_out = ConvolutionLayers.SizeKeeping(architecture.Dimensions, architecture.MultChan, architecture.OutChannels);
        RegisterComponents();
    }

    public FnetArchitecture Architecture { get; }

    /// <summary>Trainable parameters (conv weights and biases, batch-norm scales and shifts; not running statistics).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// A new network with pytorch_fnet release_1's initialisation: every conv and transposed-conv weight
    /// ~ N(0, 0.02) (biases keep PyTorch's default), batch-norm weight ~ N(1, 0.02), bias 0.
    /// </summary>
    /// <param name="seed">
    /// Seeds libtorch's global generator before building, as <c>torch.manual_seed(seed)</c> does in the reference:
    /// construction and initialisation draw in the reference's order, so a seed gives reproducible weights.
    /// Null leaves the generator as it is.
    /// </param>
    public static Fnet Create(FnetArchitecture architecture, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();

        // Seeding and drawing use libtorch's one global generator: two networks built at once on two threads
        // (a worker loading models, parallel tests) would interleave their draws, and a seed would not reproduce.
        lock (GlobalGeneratorLock)
        {
            if (seed is { } value)
            {
                torch.random.manual_seed(value);
            }

            var network = new Fnet(architecture);
            FnetInitialisation.Apply(network);
            return network;
        }
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateInputShape(input.shape);
        using var features = net_recurse.forward(input);
        return conv_out.forward(features);
    }

    /// <summary>
    /// Throws <see cref="NetworkInputShapeException"/> unless <paramref name="shape"/> is
    /// (batch, InChannels, spatial...) with every spatial size a positive multiple of 2^depth.
    /// Checked up front so a bad size never surfaces as a concatenation shape mismatch deep inside.
    /// </summary>
    public void ValidateInputShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var expectedRank = Architecture.Dimensions + 2;
        var description = string.Join("x", shape);
        if (shape.Count != expectedRank)
        {
            throw new NetworkInputShapeException(
                $"A {Architecture.Dimensions}D network takes (batch, channel, {(Architecture.Dimensions == 3 ? "Z, " : "")}Y, X) input; got shape {description}.");
        }

        if (shape[1] != Architecture.InChannels)
        {
            throw new NetworkInputShapeException(
                $"The network takes {Architecture.InChannels} input channel(s); got {shape[1]} in shape {description}.");
        }

        var multiple = Architecture.SpatialMultiple;
        var axisNames = Architecture.Dimensions == 3 ? new[] { "Z", "Y", "X" } : new[] { "Y", "X" };
        for (var axis = 0; axis < axisNames.Length; axis++)
        {
            var size = shape[axis + 2];
            if (size <= 0 || size % multiple != 0)
            {
                throw new NetworkInputShapeException(
                    $"Every spatial size must be a positive multiple of {multiple} (2^depth, depth {Architecture.Depth}); " +
                    $"{axisNames[axis]} = {size} in shape {description} is not. Pad or crop the input first.");
            }
        }
    }
}
