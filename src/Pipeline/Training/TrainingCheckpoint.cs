using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// A resumable training state in <c>{run}/checkpoint/</c>: network weights, Adam state, the averaged
/// weights when training averages them (<see cref="AveragedWeights"/>), the iteration, the patch sampler's position and the compute time used so far (for a budget). Written to a fresh folder and swapped in by rename,
/// so an interruption while saving never leaves a half-written checkpoint.
/// </summary>
public sealed record TrainingCheckpoint(int Iteration, SamplerPosition Sampler, double ComputeSeconds = 0)
{
    private const string FolderName = "checkpoint";
    private const string NetworkFile = "network.dat";
    private const string OptimizerFile = "optimizer.dat";
    private const string AverageFile = "averaged.dat";
    private const string StateFile = "state.json";

    public static bool Exists(string runDirectory) => File.Exists(Path.Combine(Folder(runDirectory), StateFile))
        || File.Exists(Path.Combine(Folder(runDirectory) + ".old", StateFile));

    public void Save(string runDirectory, nn.Module network, OptimizerHelper optimizer, AveragedWeights? average = null)
    {
        var folder = Folder(runDirectory);
        var fresh = folder + ".new";
        var old = folder + ".old";
        if (Directory.Exists(fresh))
        {
            Directory.Delete(fresh, recursive: true);
        }

        Directory.CreateDirectory(fresh);
        network.save(Path.Combine(fresh, NetworkFile));
        optimizer.save_state_dict(Path.Combine(fresh, OptimizerFile));
        average?.Save(Path.Combine(fresh, AverageFile));
        File.WriteAllText(Path.Combine(fresh, StateFile), JsonSerializer.Serialize(this));

        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        if (Directory.Exists(folder))
        {
            Directory.Move(folder, old);
        }

        Directory.Move(fresh, folder);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Loads the checkpoint into <paramref name="network"/>, <paramref name="optimizer"/> and <paramref name="average"/>.</summary>
    /// <exception cref="InvalidDataException">Training averages the weights but the checkpoint holds no average: the run began without averaging.</exception>
    public static TrainingCheckpoint Load(string runDirectory, nn.Module network, OptimizerHelper optimizer, AveragedWeights? average = null)
    {
        var folder = Folder(runDirectory);
        if (!File.Exists(Path.Combine(folder, StateFile)))
        {
            // A crash between the two renames of Save leaves only the previous checkpoint.
            folder += ".old";
        }

        var state = JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(Path.Combine(folder, StateFile)))
            ?? throw new InvalidDataException($"{folder}: {StateFile} is empty.");
        network.load(Path.Combine(folder, NetworkFile));
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        if (average is not null)
        {
            var averageFile = Path.Combine(folder, AverageFile);
            if (!File.Exists(averageFile))
            {
                throw new InvalidDataException($"{folder} holds no averaged weights: the run began without weight averaging, so it cannot resume with it.");
            }

            average.Load(averageFile);
        }

        return state;
    }

    private static string Folder(string runDirectory) => Path.Combine(runDirectory, FolderName);
}
