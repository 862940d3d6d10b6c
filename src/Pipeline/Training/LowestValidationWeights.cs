using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// The weights with the lowest validation loss so far, in <c>{run}/best/</c>: saved whenever a checkpoint's
/// validation loss beats the best one, loaded into the network when the run ends. On disk (not in memory) so
/// a resumed run still knows its best model. Replaced by rename, never half-written.
/// </summary>
public sealed class LowestValidationWeights
{
    private const string FolderName = "best";
    private const string NetworkFile = "network.dat";
    private const string RecordFile = "best.json";
    private readonly string _folder;

    public LowestValidationWeights(string runDirectory)
    {
        _folder = Path.Combine(runDirectory, FolderName);
        var record = Path.Combine(_folder, RecordFile);
        if (File.Exists(record))
        {
            var saved = JsonSerializer.Deserialize<Record>(File.ReadAllText(record));
            Iteration = saved?.Iteration;
            ValidationLoss = saved?.ValidationLoss;
        }
    }

    public int? Iteration { get; private set; }

    public double? ValidationLoss { get; private set; }

    public string NetworkPath => Path.Combine(_folder, NetworkFile);

    /// <summary>Keeps <paramref name="network"/>'s weights when <paramref name="validationLoss"/> is the lowest yet; returns whether it was.</summary>
    public bool Offer(int iteration, double validationLoss, nn.Module network)
    {
        if (ValidationLoss is { } best && !(validationLoss < best))
        {
            return false;
        }

        Directory.CreateDirectory(_folder);
        var fresh = NetworkPath + ".new";
        network.save(fresh);
        File.Move(fresh, NetworkPath, overwrite: true);
        File.WriteAllText(Path.Combine(_folder, RecordFile), JsonSerializer.Serialize(new Record(iteration, validationLoss)));
        (Iteration, ValidationLoss) = (iteration, validationLoss);
        return true;
    }

    /// <summary>Loads the kept weights into <paramref name="network"/>.</summary>
    public void LoadInto(nn.Module network)
    {
        if (Iteration is null)
        {
            throw new InvalidOperationException($"{_folder} holds no weights: no validation loss was measured.");
        }

        network.load(NetworkPath);
    }

    private sealed record Record(int Iteration, double ValidationLoss);
}
