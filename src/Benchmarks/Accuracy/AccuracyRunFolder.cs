using System.Text.Json;
using LabelFree.Pipeline.Training;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>
/// The folder of one benchmark run, kept across invocations: a 3-seed benchmark is hours of training, so a run
/// that was interrupted resumes from its checkpoint, and a finished one is scored once and then reused. The
/// folder's <c>run-key.json</c> names exactly what was trained (task, recipe, seed, budget, times, threads); a
/// folder whose key differs is started afresh, so a changed recipe never mixes with old weights.
/// </summary>
public sealed class AccuracyRunFolder
{
    private const string KeyFile = "run-key.json";
    private const string ResultFile = "result.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _key;

    public AccuracyRunFolder(string path, AccuracyTask task, TrainingRecipe recipe, int seed, AccuracyBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = path;
        _key = JsonSerializer.Serialize(new Key(task, recipe, seed, options.Minutes, options.Checkpoints, options.Threads), Json);
    }

    public string Path { get; }

    /// <summary>Makes the folder ready for this run: kept when it holds the same run, emptied otherwise.</summary>
    public void Prepare()
    {
        var keyPath = System.IO.Path.Combine(Path, KeyFile);
        if (File.Exists(keyPath) && File.ReadAllText(keyPath) == _key)
        {
            return;
        }

        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }

        Directory.CreateDirectory(Path);
        File.WriteAllText(keyPath, _key);
    }

    /// <summary>The run's scores when a previous invocation finished it; null otherwise.</summary>
    public AccuracyRun? FinishedRun()
    {
        var result = System.IO.Path.Combine(Path, ResultFile);
        return File.Exists(result) ? JsonSerializer.Deserialize<AccuracyRun>(File.ReadAllText(result), Json) : null;
    }

    /// <summary>Records the run's scores, written whole or not at all.</summary>
    public void Finish(AccuracyRun run)
    {
        var result = System.IO.Path.Combine(Path, ResultFile);
        File.WriteAllText(result + ".new", JsonSerializer.Serialize(run, Json));
        File.Move(result + ".new", result, overwrite: true);
    }

    private sealed record Key(AccuracyTask Task, TrainingRecipe Recipe, int Seed, double Minutes, IReadOnlyList<double> Checkpoints, int Threads);
}
