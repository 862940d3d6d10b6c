using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Models;

public class ModelBundleTests
{
    private static readonly FnetArchitecture Small = FnetArchitecture.Paper3D with { Depth = 2, MultChan = 4 };

    [Fact]
    public void A_saved_bundle_loads_back_and_predicts_bit_for_bit_the_same()
    {
        var folder = TestEnvironment.NewTempFolder();
        using var original = NewBundle(seed: 21);
        var written = original.Save(folder);

        using var loaded = ModelBundle.Load(folder);

        Assert.Equal(written.Weights, loaded.Manifest.Weights);
        Assert.Equal("DNA", loaded.Manifest.Structure);
        Assert.Equal(Small, loaded.Manifest.Network);
        Assert.Equal(VoxelSize.PaperIsotropic, loaded.Manifest.VoxelSize);
        Assert.Equal([32, 64, 64], loaded.Manifest.Training!.PatchSize!);
        Assert.Equal(0.91, loaded.Manifest.TestMetrics!.PerImage[1].PearsonR);
        Assert.Null(loaded.Manifest.TestMetrics.CMaxMean);

        using var scope = NewDisposeScope();
        var input = randn(new long[] { 1, 1, 8, 16, 16 }, generator: new Generator(3));
        var before = Predict(original.Network, input);
        var after = Predict(loaded.Network, input);
        Assert.True(before.equal(after).all().item<bool>(), "outputs differ after the round trip");
    }

    [Fact]
    public void Model_json_records_the_weights_hash_and_what_a_user_needs()
    {
        var folder = TestEnvironment.NewTempFolder();
        using var bundle = NewBundle(seed: 22);
        bundle.Save(folder);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!;
        var weightsHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "weights.pt"))));

        Assert.Equal(1, (int)json["formatVersion"]!);
        Assert.Equal(weightsHash, (string)json["weights"]!["sha256"]!);
        Assert.Equal("weights.pt", (string)json["weights"]!["file"]!);
        Assert.Equal(2, (int)json["network"]!["depth"]!);
        Assert.Equal(4, (int)json["network"]!["multChan"]!);
        Assert.Equal(0.29, (double)json["voxelSize"]!["z"]!);
        Assert.Equal("zscore", (string)json["normalisation"]!);
        Assert.Equal("bczyx", (string)json["inputs"]![0]!["axes"]!);
        Assert.Equal("zero_mean_unit_variance", (string)json["inputs"]![0]!["preprocessing"]![0]!["id"]!);
        Assert.Equal("dna", (string)json["outputs"]![0]!["id"]!);
        Assert.Equal("0.107.0", (string)json["libraries"]!["torchSharp"]!);
        Assert.StartsWith("2.10.0", (string)json["libraries"]!["libTorch"]!, StringComparison.Ordinal);
        var created = DateTime.Parse((string)json["createdUtc"]!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.Equal(DateTimeKind.Utc, created.Kind);
        Assert.InRange(DateTime.UtcNow - created, TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Tampered_weights_are_refused_naming_the_bundle_and_both_hashes()
    {
        var folder = TestEnvironment.NewTempFolder();
        using var bundle = NewBundle(seed: 23);
        var recorded = bundle.Save(folder).Weights!.Sha256;
        var weightsPath = Path.Combine(folder, "weights.pt");
        var bytes = File.ReadAllBytes(weightsPath);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(weightsPath, bytes);

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(folder));

        Assert.Equal(ModelBundleProblem.WeightsHashMismatch, error.Problem);
        Assert.Equal(recorded, error.ExpectedSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), error.ActualSha256);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains(error.ExpectedSha256!, error.Message, StringComparison.Ordinal);
        Assert.Contains(error.ActualSha256!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_model_json_or_weights_is_refused()
    {
        var empty = TestEnvironment.NewTempFolder();
        var folder = TestEnvironment.NewTempFolder();
        using (var bundle = NewBundle(seed: 24))
        {
            bundle.Save(folder);
        }

        File.Delete(Path.Combine(folder, "weights.pt"));

        Assert.Equal(ModelBundleProblem.ManifestMissing, Assert.Throws<ModelBundleException>(() => ModelBundle.Load(empty)).Problem);
        Assert.Equal(ModelBundleProblem.WeightsMissing, Assert.Throws<ModelBundleException>(() => ModelBundle.Load(folder)).Problem);
    }

    [Theory]
    [InlineData("network", "network")]
    [InlineData("structure", "structure")]
    [InlineData("weights", "weights")]
    public void A_model_json_missing_a_required_field_is_refused_naming_it(string field, string named)
    {
        var folder = SavedBundleWithEditedManifest(json => json.AsObject().Remove(field));

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.ReadManifest(folder));

        Assert.Equal(ModelBundleProblem.ManifestInvalid, error.Problem);
        Assert.Contains(named, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_json_missing_a_network_field_is_refused_naming_it()
    {
        var folder = SavedBundleWithEditedManifest(json => json["network"]!.AsObject().Remove("depth"));

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.ReadManifest(folder));

        Assert.Equal(ModelBundleProblem.ManifestInvalid, error.Problem);
        Assert.Contains("depth", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("formatVersion", "2", "formatVersion 2")]
    [InlineData("normalisation", "\"minmax\"", "normalisation")]
    [InlineData("structure", "null", "structure")]
    [InlineData("voxelSize", "{\"z\": 0.29, \"y\": -1, \"x\": 0.29}", "voxelSize")]
    public void A_model_json_with_a_bad_value_is_refused_naming_the_field(string field, string value, string named)
    {
        var folder = SavedBundleWithEditedManifest(json => json[field] = JsonNode.Parse(value));

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.ReadManifest(folder));

        Assert.Equal(ModelBundleProblem.ManifestInvalid, error.Problem);
        Assert.Contains(named, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_whose_network_differs_from_the_weights_is_refused()
    {
        var folder = SavedBundleWithEditedManifest(json => json["network"]!["multChan"] = 8);

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(folder));

        Assert.Equal(ModelBundleProblem.WeightsDoNotFitNetwork, error.Problem);
        Assert.Contains("wrong shapes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_whose_weights_hold_nan_or_infinity_is_refused_naming_the_bundle_the_tensor_and_the_count()
    {
        const string Poisoned = "net_recurse.sub_2conv_more.conv1.weight";
        var folder = TestEnvironment.NewTempFolder();
        using (var bundle = NewBundle(seed: 26))
        {
            // Poisoned before Save, so model.json records the hash of exactly these weights, as training would write them.
            using var noGrad = no_grad();
            var weight = bundle.Network.state_dict()[Poisoned];
            weight[0, 0, 0, 0, 0] = float.NaN;
            weight[1, 0, 0, 0, 0] = float.PositiveInfinity;
            weight[2, 0, 1, 1, 1] = float.NegativeInfinity;
            bundle.Save(folder);
        }

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(folder));

        Assert.Equal(ModelBundleProblem.NonFiniteWeights, error.Problem);
        Assert.Equal(folder, error.Bundle);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Poisoned} has 3 of its 108 values", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("more tensor", error.Reason, StringComparison.Ordinal);
        Assert.Contains("labelfree selftest", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_with_infinite_batch_norm_statistics_is_refused_naming_the_first_and_counting_the_others()
    {
        var folder = TestEnvironment.NewTempFolder();
        using (var bundle = NewBundle(seed: 27))
        {
            // Buffers, not parameters: training never computes a gradient for them, so only this check sees them.
            using var noGrad = no_grad();
            var state = bundle.Network.state_dict();
            state["net_recurse.sub_2conv_more.bn1.running_var"][1] = float.PositiveInfinity;
            state["net_recurse.sub_2conv_more.bn2.running_var"].fill_(float.NaN);
            bundle.Save(folder);
        }

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(folder));

        Assert.Equal(ModelBundleProblem.NonFiniteWeights, error.Problem);
        Assert.Contains("net_recurse.sub_2conv_more.bn1.running_var has 1 of its 4 values (and 1 more tensor)", error.Reason, StringComparison.Ordinal);
    }

    private static string SavedBundleWithEditedManifest(Action<JsonNode> edit)
    {
        var folder = TestEnvironment.NewTempFolder();
        using (var bundle = NewBundle(seed: 25))
        {
            bundle.Save(folder);
        }

        var path = Path.Combine(folder, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        return folder;
    }

    private static ModelBundle NewBundle(long seed)
    {
        var network = Fnet.Create(Small, seed);
        RandomiseRunningStatistics(network, seed);
        var manifest = ModelManifest.Describe(new ModelCard("DNA", "BrightField") { VoxelSize = VoxelSize.PaperIsotropic }, Small) with
        {
            Training = new TrainingSummary { PatchSize = [32, 64, 64], BatchSize = 24, Iterations = 50_000, TrainImages = 30, TestImages = 20, SplitSeed = 42, SourceCsv = "dna.csv" },
            TestMetrics = new TestMetrics
            {
                PerImage = [new ImageScore("img_00.tif", 0.87), new ImageScore("img_01.tif", 0.91)],
                PearsonMedian = 0.89,
            },
        };
        return new ModelBundle(manifest, network);
    }

    // Fresh batch norms have mean 0 / variance 1, which would let wrongly loaded statistics go unnoticed.
    private static void RandomiseRunningStatistics(Fnet network, long seed)
    {
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, buffer) in network.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.copy_(randn(buffer.shape, generator: generator) * 0.3);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.copy_(rand(buffer.shape, generator: generator) + 0.5);
            }
        }
    }

    private static Tensor Predict(Fnet network, Tensor input)
    {
        network.eval();
        using var noGrad = no_grad();
        return network.forward(input);
    }
}
