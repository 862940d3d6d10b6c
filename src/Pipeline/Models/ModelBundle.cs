using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Pipeline.Compute;
using TorchSharp.PyBridge;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// A trained model as a folder: weights.pt (the state dict in torch.save's zip format, so PyTorch's
/// torch.load reads it too) and model.json (<see cref="ModelManifest"/>, with the weights' SHA-256).
/// Owns its network.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    public const string ManifestFileName = "model.json";
    public const string WeightsFileName = "weights.pt";

    public ModelBundle(ModelManifest manifest, Fnet network)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(network);
        if (manifest.Network != network.Architecture)
        {
            throw new ArgumentException($"The manifest describes a {manifest.Network}, the network is a {network.Architecture}.", nameof(manifest));
        }

        Manifest = manifest;
        Network = network;
    }

    public ModelManifest Manifest { get; private set; }

    public Fnet Network { get; }

    /// <summary>
    /// Writes weights.pt, then model.json with the weights' SHA-256, creation time and library versions,
    /// each through a temporary file and a rename, so a reader never sees half a file. Returns the
    /// manifest as written (also <see cref="Manifest"/> from now on).
    /// </summary>
    public ModelManifest Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);

        var weightsPath = Path.Combine(directory, WeightsFileName);
        var weightsTemporary = weightsPath + ".partial";
        Network.save_py(weightsTemporary);
        File.Move(weightsTemporary, weightsPath, overwrite: true);

        var now = DateTime.UtcNow;
        var written = Manifest with
        {
            Weights = new WeightsFile(WeightsFileName, ModelManifest.PyTorchStateDictFormat, Sha256Of(weightsPath)),
            CreatedUtc = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
            Libraries = LibraryVersions.Current,
            Compute = ComputeRecord.Current ?? Manifest.Compute,
        };
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var manifestTemporary = manifestPath + ".partial";
        File.WriteAllText(manifestTemporary, ModelManifestJson.Serialize(written));
        File.Move(manifestTemporary, manifestPath, overwrite: true);

        Manifest = written;
        return written;
    }

    /// <summary>Reads and checks model.json alone (no weights): enough to choose a model or plan its pre-processing.</summary>
    /// <exception cref="ModelBundleException">No model.json, or one that is malformed or incomplete.</exception>
    public static ModelManifest ReadManifest(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelBundleException(directory, ModelBundleProblem.ManifestMissing, $"{ManifestFileName} not found.");
        }

        ModelManifest manifest;
        try
        {
            manifest = ModelManifestJson.Deserialize(File.ReadAllText(manifestPath));
        }
        catch (JsonException error)
        {
            var where = error.Path is { Length: > 0 } path ? $" (at {path})" : string.Empty;
            throw new ModelBundleException(directory, ModelBundleProblem.ManifestInvalid, $"{ManifestFileName} is invalid{where}: {error.Message}", error);
        }

        var problems = manifest.Problems(saved: true);
        return problems.Count == 0
            ? manifest
            : throw new ModelBundleException(directory, ModelBundleProblem.ManifestInvalid, $"{ManifestFileName}: {string.Join(" ", problems)}");
    }

    /// <summary>
    /// Reads model.json, checks the weights' SHA-256 against it, loads them into a new network (in training
    /// mode, as PyTorch leaves a freshly loaded module; predictors switch it to eval) and checks that every
    /// weight and buffer is finite.
    /// </summary>
    /// <exception cref="ModelBundleException">Anything missing, malformed, altered, not fitting or not finite; the bundle and the reason are named.</exception>
    public static ModelBundle Load(string directory)
    {
        var manifest = ReadManifest(directory);
        var weightsPath = Path.Combine(directory, manifest.Weights!.File);
        if (!File.Exists(weightsPath))
        {
            throw new ModelBundleException(directory, ModelBundleProblem.WeightsMissing, $"{manifest.Weights.File} not found.");
        }

        var actual = Sha256Of(weightsPath);
        if (actual != manifest.Weights.Sha256)
        {
            throw ModelBundleException.HashMismatch(directory, manifest.Weights.File, manifest.Weights.Sha256, actual);
        }

        var network = Fnet.Create(manifest.Network);
        try
        {
            using (var weights = PyTorchWeights.Read(weightsPath))
            {
                FnetStateDict.CopyInto(network, weights.StateDict, weightsPath);
            }

            RequireFinite(network, directory, manifest.Weights.File);
            return new ModelBundle(manifest, network);
        }
        catch (PyTorchImportException error)
        {
            network.Dispose();
            var problem = error.Problem == PyTorchImportProblem.ArchitectureMismatch
                ? ModelBundleProblem.WeightsDoNotFitNetwork
                : ModelBundleProblem.WeightsUnreadable;
            throw new ModelBundleException(directory, problem, error.Reason, error);
        }
        catch (ModelBundleException)
        {
            network.Dispose();
            throw;
        }
    }

    public void Dispose() => Network.Dispose();

    // Checked on the loaded network rather than the file: a float64 value beyond float32's range becomes
    // infinite only in the copy. The hash cannot catch this: the file is exactly what training wrote.
    private static void RequireFinite(Fnet network, string directory, string weightsFile)
    {
        var found = NonFiniteWeights.In(network);
        if (found.Count == 0)
        {
            return;
        }

        var first = found[0];
        var others = found.Count switch
        {
            1 => string.Empty,
            2 => " (and 1 more tensor)",
            _ => FormattableString.Invariant($" (and {found.Count - 1} more tensors)"),
        };
        throw new ModelBundleException(directory, ModelBundleProblem.NonFiniteWeights, FormattableString.Invariant(
            $"{weightsFile} holds NaN or infinite values: {first.Name} has {first.NonFinite} of its {first.Total} values{others}. ") +
            "Every prediction of this network would be NaN, so it is refused. Its training diverged or ran on wrong " +
            "arithmetic: train it again on a machine where 'labelfree selftest' passes.");
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
