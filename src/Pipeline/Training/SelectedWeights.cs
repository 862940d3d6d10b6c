using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// The best weights so far by a validation criterion (lowest loss or highest r), in <c>{run}/best/</c>: saved
/// whenever a checkpoint's measurement beats the kept one, loaded into the network when the run ends. On disk
/// (not in memory) so a resumed run still knows its best model. Replaced by rename, never half-written.
/// </summary>
public sealed class SelectedWeights
{
    private const string FolderName = "best";
    private const string NetworkFile = "network.dat";
    private const string RecordFile = "best.json";
    private readonly string _folder;
    private readonly CheckpointSelection _criterion;

    /// <param name="criterion"><see cref="CheckpointSelection.LowestValidationLoss"/> or <see cref="CheckpointSelection.HighestValidationCorrelation"/>.</param>
    public SelectedWeights(string runDirectory, CheckpointSelection criterion)
    {
        if (criterion is not (CheckpointSelection.LowestValidationLoss or CheckpointSelection.HighestValidationCorrelation))
        {
            throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Only a validation criterion selects among checkpoints.");
        }

        _criterion = criterion;
        _folder = Path.Combine(runDirectory, FolderName);
        var record = Path.Combine(_folder, RecordFile);
        if (File.Exists(record))
        {
            var saved = JsonSerializer.Deserialize<Record>(File.ReadAllText(record));
            Iteration = saved?.Iteration;
            Measurement = saved?.Measurement;
        }
    }

    public int? Iteration { get; private set; }

    public ValidationMeasurement? Measurement { get; private set; }

    public string NetworkPath => Path.Combine(_folder, NetworkFile);

    /// <summary>Keeps <paramref name="network"/>'s weights when <paramref name="measurement"/> is the best yet; returns whether it was.</summary>
    public bool Offer(int iteration, ValidationMeasurement measurement, nn.Module network)
    {
        if (Measurement is { } kept && !Beats(measurement, kept))
        {
            return false;
        }

        Directory.CreateDirectory(_folder);
        var fresh = NetworkPath + ".new";
        network.save(fresh);
        File.Move(fresh, NetworkPath, overwrite: true);
        File.WriteAllText(Path.Combine(_folder, RecordFile), JsonSerializer.Serialize(new Record(iteration, measurement)));
        (Iteration, Measurement) = (iteration, measurement);
        return true;
    }

    /// <summary>Loads the kept weights into <paramref name="network"/>.</summary>
    public void LoadInto(nn.Module network)
    {
        if (Iteration is null)
        {
            throw new InvalidOperationException($"{_folder} holds no weights: nothing was validated.");
        }

        network.load(NetworkPath);
    }

    // Strictly better, so ties keep the earlier weights; a NaN (a constant prediction's r) never wins and is always beaten.
    private bool Beats(ValidationMeasurement candidate, ValidationMeasurement kept)
    {
        var (value, best) = _criterion == CheckpointSelection.LowestValidationLoss ? (-candidate.Loss, -kept.Loss) : (candidate.R, kept.R);
        return !double.IsNaN(value) && (double.IsNaN(best) || value > best);
    }

    private sealed record Record(int Iteration, ValidationMeasurement Measurement);
}
