using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Pipeline.Training;
using LabelFree.Worker.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>train -> predict -> evaluate, resume and import-pytorch through the real executable, on tiny models.</summary>
public sealed class ModelVerbsTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("cli-models");

    public ModelVerbsTests()
    {
        var simulated = LabelFreeProcess.Run("simulate", "--out", Data, "--count", "4", "--shape", "16,32,32", "--seed", "2");
        Assert.True(simulated.ExitCode == 0, simulated.ToString());
    }

    private string Data => Path.Combine(_folder, "data");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private LabelFreeProcess.Result Train(string structure, string bundle, int iterations, params string[] extra) =>
        LabelFreeProcess.Run([
            "train", "--pairs", Path.Combine(Data, $"pairs_{structure}.csv"), "--structure", structure, "--out", bundle,
            "--iterations", $"{iterations}", "--batch", "2", "--patch", "16,16,16", "--depth", "1", "--mult-chan", "4",
            "--checkpoint-every", "3", "--threads", "1", .. extra,
        ]);

    [Fact]
    public void A_trained_bundle_predicts_an_integrated_image_and_evaluates_its_test_split()
    {
        var dna = Path.Combine(_folder, "dna");
        var membrane = Path.Combine(_folder, "membrane");

        var trainedDna = Train("dna", dna, 6, "--controls", Path.Combine(Data, "controls", "dna"));
        var trainedMembrane = Train("membrane", membrane, 3);

        Assert.True(trainedDna.ExitCode == 0, trainedDna.ToString());
        Assert.True(trainedMembrane.ExitCode == 0, trainedMembrane.ToString());
        Assert.Contains("test Pearson r", trainedDna.Output, StringComparison.Ordinal);
        Assert.Equal(6, LossLog.Read(Path.Combine(dna + ".run", LossLog.FileName)).Count);
        Assert.True(File.Exists(Path.Combine(dna, "model.json")));
        var compute = ModelBundle.ReadManifest(dna).Compute;
        Assert.NotNull(compute); // what computed these weights: the level and the verified paths
        Assert.Contains(compute.Paths, p => p is { Path: "fp32-training", Passed: true });
        Assert.Contains(compute.Paths, p => p is { Path: "fp32-inference", Passed: true });

        var field = Path.Combine(Data, "fields", "field_003.ome.tiff");
        var integrated = Path.Combine(_folder, "integrated.ome.tiff");
        var predicted = LabelFreeProcess.Run("predict", "--model", dna, "--model", membrane, "--input", field, "--out", integrated, "--channel", "bright-field");
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        var image = HyperstackFile.Read(integrated);
        Assert.Equal(new HyperstackShape(1, 2, 16, 32, 32), image.Shape);
        Assert.Equal(new[] { "dna", "membrane" }, image.ChannelNames);
        Assert.Equal(VoxelSize.PaperIsotropic, image.VoxelSize);

        var report = Path.Combine(_folder, "report.json");
        var evaluated = LabelFreeProcess.Run("evaluate", "--model", dna, "--pairs", Path.Combine(dna + ".run", "test.csv"),
            "--controls", Path.Combine(Data, "controls", "dna"), "--out", report);
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(1, json.RootElement.GetProperty("pearsonSummary").GetProperty("count").GetInt32());
        var cmax = json.RootElement.GetProperty("images")[0].GetProperty("cMax").GetDouble();
        Assert.InRange(cmax, 0.1, 1.0);
        Assert.Equal(2, File.ReadAllLines(Path.ChangeExtension(report, ".csv")).Length);
    }

    [Fact]
    public void The_labelfree_recipe_sets_the_defaults_and_an_explicit_option_overrides_one_part()
    {
        var bundle = Path.Combine(_folder, "dna");

        var trained = Train("dna", bundle, 6, "--recipe", "labelfree", "--select", "last");

        Assert.True(trained.ExitCode == 0, trained.ToString());
        var training = ModelBundle.ReadManifest(bundle).Training!;
        Assert.Equal(TrainingRecipe.Recommended.Augmentation.Describe(), training.Augmentation);
        Assert.Equal(TrainingRecipe.Recommended.ValidationShare, training.ValidationShare);
        Assert.Equal(TrainingRecipe.Recommended.BatchNormPatches, training.BatchNormPatches);
        Assert.Equal(nameof(LearningRateSchedule.Cosine), training.LearningRateSchedule);
        Assert.Equal(nameof(CheckpointSelection.Last), training.Selection);
        Assert.Equal(6, training.SelectedIteration);
        // The strip is validated at every checkpoint, loss and r.
        var validated = LossLog.Read(Path.Combine(bundle + ".run", LossLog.FileName)).Where(l => l.ValidationR is not null).Select(l => l.Iteration);
        Assert.Equal([3, 6], validated);
    }

    [Fact]
    public void A_diverging_run_stops_at_the_first_non_finite_loss_and_writes_no_bundle()
    {
        var bundle = Path.Combine(_folder, "dna");

        // A learning rate of 1e30 throws the weights out of float range after the first Adam step.
        var diverged = Train("dna", bundle, 6, "--lr", "1e30");

        Assert.Equal(1, diverged.ExitCode);
        Assert.Contains("Training stopped at iteration 2: the loss is", diverged.Error, StringComparison.Ordinal);
        Assert.Contains("No model bundle was written", diverged.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bundle, "model.json")));
        Assert.Single(LossLog.Read(Path.Combine(bundle + ".run", LossLog.FileName)));
    }

    [Fact]
    public void Training_is_refused_before_it_starts_where_no_compute_level_passes_the_self_test()
    {
        var bundle = Path.Combine(_folder, "dna");
        var cache = new Dictionary<string, string> { [LabelFree.Compute.ComputeSettings.CacheVariable] = RefusingVerdictCache.Create(threads: 1) };

        var refused = LabelFreeProcess.Run(cache, TimeSpan.FromMinutes(3), [
            "train", "--pairs", Path.Combine(Data, "pairs_dna.csv"), "--structure", "dna", "--out", bundle,
            "--iterations", "3", "--batch", "2", "--patch", "16,16,16", "--depth", "1", "--mult-chan", "4", "--threads", "1",
        ]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("No compute level passes the self-test for fp32-training + fp32-inference", refused.Error, StringComparison.Ordinal);
        Assert.Contains(RefusingVerdictCache.Failure, refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bundle + ".run"));
        Assert.False(File.Exists(Path.Combine(bundle, "model.json")));
    }

    [Fact]
    public void A_run_with_a_checkpoint_continues_only_with_resume()
    {
        var bundle = Path.Combine(_folder, "dna");
        Assert.Equal(0, Train("dna", bundle, 3).ExitCode);

        var again = Train("dna", bundle, 6);
        var resumed = Train("dna", bundle, 6, "--resume");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--resume", again.Error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("trained 3 iterations", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 6), LossLog.Read(Path.Combine(bundle + ".run", LossLog.FileName)).Select(r => r.Iteration));
    }

    [Fact]
    public async Task Ctrl_c_during_training_writes_a_checkpoint_that_resume_continues()
    {
        var bundle = Path.Combine(_folder, "dna");
        using var training = LabelFreeProcess.Start("train", "--pairs", Path.Combine(Data, "pairs_dna.csv"), "--structure", "dna",
            "--out", bundle, "--iterations", "100000", "--batch", "2", "--patch", "16,16,16", "--depth", "1", "--mult-chan", "4",
            "--checkpoint-every", "3", "--threads", "1");
        var error = training.StandardError.ReadToEndAsync();

        // Wait until training is under way (the first checkpoint line), then interrupt it as Ctrl-C would.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var lines = new List<string>();
        string? line;
        while ((line = await training.StandardOutput.ReadLineAsync(limit.Token)) is not null && !line.StartsWith("iteration 3/", StringComparison.Ordinal))
        {
            lines.Add(line);
        }

        Assert.True(line is not null, "training never reached its first checkpoint:\n" + string.Join('\n', lines));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", training.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(limit.Token);
            Assert.Equal(0, kill.ExitCode);
        }

        var rest = await training.StandardOutput.ReadToEndAsync(limit.Token);
        await training.WaitForExitAsync(limit.Token);

        Assert.Equal(1, training.ExitCode);
        var interrupted = System.Text.RegularExpressions.Regex.Match(rest, @"checkpoint written at iteration (\d+)");
        Assert.True(interrupted.Success, rest + await error);
        var stoppedAt = int.Parse(interrupted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(1, stoppedAt), LossLog.Read(Path.Combine(bundle + ".run", LossLog.FileName)).Select(r => r.Iteration));
        Assert.False(File.Exists(Path.Combine(bundle, "model.json")), "an interrupted run must not write a bundle");

        var resumed = Train("dna", bundle, stoppedAt + 3, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("trained 3 iterations", resumed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Imported_pytorch_weights_become_a_bundle_that_predicts()
    {
        var weights = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Fixtures", "PyTorchFnet", "fnet3d_model.p");
        var bundle = Path.Combine(_folder, "imported");

        var imported = LabelFreeProcess.Run("import-pytorch", "--weights", weights, "--dims", "3", "--structure", "dna", "--out", bundle);
        var wrongDims = LabelFreeProcess.Run("import-pytorch", "--weights", weights, "--dims", "2", "--structure", "dna", "--out", bundle + "2");
        var output = Path.Combine(_folder, "p.ome.tiff");
        var predicted = LabelFreeProcess.Run("predict", "--model", bundle, "--input", Path.Combine(Data, "fields", "field_000.ome.tiff"), "--out", output);

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.NotEqual(0, wrongDims.ExitCode);
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        Assert.Equal(new[] { "dna" }, HyperstackFile.Read(output).ChannelNames);
    }

    [SkippableFact]
    public void A_legacy_checkpoint_predicts_the_same_values_into_OME_Zarr_as_into_OME_TIFF()
    {
        DebianPython.RequireModules(["zarr", "numcodecs", "tifffile", "numpy"], "python3-zarr python3-numcodecs python3-tifffile python3-numpy");
        var fixtures = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Fixtures", "PyTorchFnet");
        var bundle = Path.Combine(_folder, "legacy");
        var field = Path.Combine(Data, "fields", "field_001.ome.tiff");
        var tiff = Path.Combine(_folder, "p.ome.tiff");
        var zarr = Path.Combine(_folder, "p.ome.zarr");

        var imported = LabelFreeProcess.Run("import-pytorch", "--weights", Path.Combine(fixtures, "legacy_fnet3d_model.p"), "--dims", "3", "--structure", "dna", "--out", bundle);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var toTiff = LabelFreeProcess.Run("predict", "--model", bundle, "--input", field, "--out", tiff);
        var toZarr = LabelFreeProcess.Run("predict", "--model", bundle, "--input", field, "--out", zarr, "--format", "ome-zarr");
        Assert.True(toTiff.ExitCode == 0, toTiff.ToString());
        Assert.True(toZarr.ExitCode == 0, toZarr.ToString());

        var script = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Imaging", "python", "zarr_crosscheck.py");
        using var facts = JsonDocument.Parse(DebianPython.RunScript(script, "describe", zarr, tiff));
        var root = facts.RootElement;
        Assert.True(root.GetProperty("equal_to_tiff").GetBoolean(), root.ToString());
        Assert.Equal([1, 1, 16, 32, 32], root.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(["dna"], root.GetProperty("channel_names").EnumerateArray().Select(v => v.GetString()));
        var interval = HyperstackFile.Read(tiff).FrameIntervalSeconds ?? 1.0;
        Assert.Equal([interval, 1.0, 0.29, 0.29, 0.29], root.GetProperty("scale").EnumerateArray().Select(v => v.GetDouble()));
    }
}
