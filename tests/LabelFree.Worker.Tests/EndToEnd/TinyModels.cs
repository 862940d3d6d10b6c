using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// Small random fnet bundles (depth 2; 3D, or 2D for EM) saved to a local folder, as the trainer would write them; the
/// 3D bright-field ones describe the default test stack as their training inputs, so its predictions are scored in distribution.
/// </summary>
internal static class TinyModels
{
    public static readonly VoxelSize VoxelSize = VoxelSize.PaperIsotropic;

    /// <summary>Saves a bundle for <paramref name="structure"/> under <paramref name="folder"/>/{structure} and returns that folder.</summary>
    /// <param name="alter">Changes the network before it is saved (so model.json records the changed weights).</param>
    public static string Save(string folder, string structure, long seed, int multChan = 4, Action<Fnet>? alter = null)
    {
        var architecture = FnetArchitecture.Paper3D with { Depth = 2, MultChan = multChan };
        return Write(folder, new ModelCard(structure, "BrightField") { VoxelSize = VoxelSize }, architecture, seed, alter, TrainedOnTestStacks());
    }

    /// <summary>Saves a 2D bundle (an EM-to-IF model) trained, nominally, at <paramref name="pixelSizeMicrometres"/>.</summary>
    /// <param name="alter">Changes the network before it is saved (so model.json records the changed weights).</param>
    public static string Save2D(string folder, string structure, long seed, double pixelSizeMicrometres, int multChan = 4, Action<Fnet>? alter = null)
    {
        var architecture = FnetArchitecture.Paper2D with { Depth = 2, MultChan = multChan };
        return Write(folder, new ModelCard(structure, "Em") { PixelSizeMicrometres = pixelSizeMicrometres }, architecture, seed, alter);
    }

    /// <summary>
    /// Scales every convolution weight by 1e30: each stays finite (the bundle loads), but two convolutions in a row
    /// exceed float32's range, so every forward pass on real input overflows to infinity and then NaN.
    /// </summary>
    public static void Overflowing(Fnet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() > 1)
            {
                parameter.mul_(1e30);
            }
        }
    }

    /// <summary>
    /// Saves a 2D bundle trained briefly on (signal, target) image pairs, each z-scored as the trainer does: enough
    /// for a simple mapping such as simulated EM to its IF-like image, where a random model would predict noise.
    /// </summary>
    public static string SaveTrained2D(string folder, string structure, IReadOnlyList<(Volume Signal, Volume Target)> pairs,
        double pixelSizeMicrometres, int iterations, long seed = 1)
    {
        var architecture = FnetArchitecture.Paper2D with { Depth = 2, MultChan = 4 };
        var network = Fnet.Create(architecture, seed);
        var patch = new VolumeShape(1, 64, 64);
        var options = new TrainingOptions
        {
            Dimensions = 2, Patch = patch, BatchSize = 4, Iterations = iterations, CheckpointEvery = iterations,
            BufferSize = pairs.Count, Threads = 2, LearningRate = 0.01, Seed = (int)seed,
        };
        var volumes = pairs.Select((p, i) => new TrainingVolumes($"pair {i}", ZScore.Normalize(p.Signal), ZScore.Normalize(p.Target))).ToArray();
        var sampler = new BufferedPatchSampler(volumes.Length, i => volumes[i], patch, volumes.Length, switchEvery: 0, seed: (ulong)seed);
        new StructureTrainer(network, options).Train(sampler, null, Path.Combine(folder, $"{structure}-run"));
        return Write(folder, new ModelCard(structure, "Em") { PixelSizeMicrometres = pixelSizeMicrometres }, architecture, network);
    }

    // As the trainer records it: the bright-field channel of the default test stack, normalised, is on the model's grid already.
    private static InputDistribution TrainedOnTestStacks() => InputDistribution.Describe([ZScore.Normalize(TestStacks.Image()[0, 0])])!;

    private static string Write(string folder, ModelCard card, FnetArchitecture architecture, long seed, Action<Fnet>? alter, InputDistribution? inputs = null)
    {
        var network = SignalPreserving(Fnet.Create(architecture, seed), seed);
        alter?.Invoke(network);
        return Write(folder, card, architecture, network, inputs);
    }

    private static string Write(string folder, ModelCard card, FnetArchitecture architecture, Fnet network, InputDistribution? inputs = null)
    {
        var structure = card.Structure;
        var manifest = ModelManifest.Describe(card, architecture) with { InputDistribution = inputs };
        var directory = Path.Combine(folder, structure);
        using var bundle = new ModelBundle(manifest, network);
        bundle.Save(directory);
        return directory;
    }

    // release_1's N(0, 0.02) initialisation shrinks the signal at every layer, leaving an almost constant
    // output; He-scaled weights keep the prediction varying like the input, so comparisons mean something.
    private static Fnet SignalPreserving(Fnet network, long seed)
    {
        var generator = new Generator((ulong)seed + 1);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() > 1)
            {
                var taps = parameter.shape.Skip(2).Aggregate(1L, (product, size) => product * size);
                var fanIn = name.Contains("convt", StringComparison.Ordinal) ? parameter.shape[0] : parameter.shape[1] * taps;
                nn.init.normal_(parameter, 0, Math.Sqrt(2.0 / fanIn), generator);
            }
        }

        return network;
    }
}
