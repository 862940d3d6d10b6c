using LabelFree.Benchmarks.Accuracy;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Tests.Benchmarks.Accuracy;

public sealed class AccuracyRunFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("labelfree-accuracy-folder-").FullName;

    private AccuracyBenchmarkOptions Options(double minutes = 10) => new() { RealDataFolder = "/nowhere", WorkFolder = _root, Minutes = minutes, Threads = 2 };

    private string RunPath => Path.Combine(_root, "labelfree-seed0");

    private static AccuracyRun Scored() => new("cohenlab phase -> DAPI (2D)", "labelfree", 0, [2.5, 5, 7.5, 10], [0.5, 0.7, 0.75, 0.78], 900, 850, 0.79, 1.5, 12.0);

    [Fact]
    public void A_finished_run_is_reused_when_the_same_run_is_asked_for_again()
    {
        var folder = new AccuracyRunFolder(RunPath, AccuracyTask.Shared[0], TrainingRecipe.Recommended, 0, Options());
        folder.Prepare();
        Assert.Null(folder.FinishedRun());
        File.WriteAllText(Path.Combine(RunPath, "checkpoint.marker"), "weights");
        folder.Finish(Scored());

        var again = new AccuracyRunFolder(RunPath, AccuracyTask.Shared[0], TrainingRecipe.Recommended, 0, Options());
        again.Prepare();

        var reused = again.FinishedRun();
        Assert.NotNull(reused);
        Assert.Equal(Scored().TestR, reused.TestR);
        Assert.Equal(850, reused.SelectedIteration);
        Assert.True(File.Exists(Path.Combine(RunPath, "checkpoint.marker")));
    }

    [Fact]
    public void A_folder_trained_with_another_recipe_or_budget_is_started_afresh()
    {
        var folder = new AccuracyRunFolder(RunPath, AccuracyTask.Shared[0], TrainingRecipe.Recommended, 0, Options());
        folder.Prepare();
        folder.Finish(Scored());

        var otherRecipe = TrainingRecipe.Recommended with { Augmentation = Augmentation.None };
        var changed = new AccuracyRunFolder(RunPath, AccuracyTask.Shared[0], otherRecipe, 0, Options());
        changed.Prepare();
        Assert.Null(changed.FinishedRun());

        changed.Finish(Scored());
        var longer = new AccuracyRunFolder(RunPath, AccuracyTask.Shared[0], otherRecipe, 0, Options(minutes: 20));
        longer.Prepare();
        Assert.Null(longer.FinishedRun());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
