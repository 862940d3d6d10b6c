using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

public sealed class DataVerbsTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("cli-data");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Simulate_writes_fields_pairs_and_controls_that_info_describes()
    {
        var result = LabelFreeProcess.Run("simulate", "--out", _folder, "--count", "3", "--shape", "16,32,32", "--seed", "9");

        Assert.True(result.ExitCode == 0, result.ToString());
        var pairs = File.ReadAllLines(Path.Combine(_folder, "pairs.csv"));
        Assert.Equal("signal,target,signal_channel,target_channel", pairs[0]);
        Assert.Equal(
            new[] { "fields/field_000.ome.tiff,fields/field_000.ome.tiff,0,1", "fields/field_001.ome.tiff,fields/field_001.ome.tiff,0,1", "fields/field_002.ome.tiff,fields/field_002.ome.tiff,0,1" },
            pairs.Skip(1));
        Assert.Contains("fields/field_000.ome.tiff,fields/field_000.ome.tiff,0,2", File.ReadAllLines(Path.Combine(_folder, "pairs_membrane.csv")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_folder, "controls", "dna")).Length);

        var info = LabelFreeProcess.Run("info", Path.Combine(_folder, "fields", "field_001.ome.tiff"), "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        using var json = JsonDocument.Parse(info.Output);
        var root = json.RootElement;
        Assert.Equal("OmeTiff", root.GetProperty("format").GetString());
        Assert.Equal(16, root.GetProperty("shape").GetProperty("Z").GetInt32());
        Assert.Equal(new[] { 0.29, 0.29, 0.29 }, root.GetProperty("voxelSizeMicrometresZyx").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 6)));
        Assert.Equal(new[] { "bright-field", "dna", "membrane" }, root.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(root.GetProperty("channels").EnumerateArray(), c => Assert.True(c.GetProperty("standardDeviation").GetDouble() > 0));
    }

    [Fact]
    public void The_same_seed_writes_the_same_file_and_another_seed_a_different_one()
    {
        string Simulate(string name, string seed)
        {
            var folder = Path.Combine(_folder, name);
            Assert.Equal(0, LabelFreeProcess.Run("simulate", "--out", folder, "--count", "1", "--shape", "16,32,32", "--seed", seed).ExitCode);
            return Path.Combine(folder, "fields", "field_000.ome.tiff");
        }

        // OME-XML holds a fresh UUID per file, so compare the decoded pixels, not the bytes.
        var first = Pipeline.Imaging.HyperstackFile.Read(Simulate("a", "4"));
        var again = Pipeline.Imaging.HyperstackFile.Read(Simulate("b", "4"));
        var other = Pipeline.Imaging.HyperstackFile.Read(Simulate("c", "5"));
        Assert.Equal(first[0, 1].Voxels, again[0, 1].Voxels);
        Assert.NotEqual(first[0, 1].Voxels, other[0, 1].Voxels);
    }

    [Fact]
    public void Bad_files_fail_with_exit_1_naming_the_file_and_bad_usage_with_exit_2()
    {
        var text = Path.Combine(_folder, "notes.tif");
        File.WriteAllText(text, "not an image");

        var notTiff = LabelFreeProcess.Run("info", text);
        var missing = LabelFreeProcess.Run("info", Path.Combine(_folder, "absent.tif"));
        var unknownOption = LabelFreeProcess.Run("simulate", "--out", _folder, "--colour", "red");
        var badShape = LabelFreeProcess.Run("simulate", "--out", _folder, "--shape", "16,x,32");

        Assert.Equal(1, notTiff.ExitCode);
        Assert.Contains(text, notTiff.Error, StringComparison.Ordinal);
        Assert.Contains("TIFF", notTiff.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(2, unknownOption.ExitCode);
        Assert.Equal(2, badShape.ExitCode);
        Assert.Contains("--shape", badShape.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_verb_has_help_text()
    {
        var root = LabelFreeProcess.Run("--help");

        Assert.Equal(0, root.ExitCode);
        foreach (var verb in new[] { "simulate", "info", "train", "predict", "evaluate", "import-pytorch", "export-bioimageio" })
        {
            Assert.Contains(verb, root.Output, StringComparison.Ordinal);
            var help = LabelFreeProcess.Run(verb, "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("Options:", help.Output, StringComparison.Ordinal);
        }
    }
}
