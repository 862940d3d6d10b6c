using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Tests.Prediction;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Distribution;

/// <summary>The description travels in model.json, and the predictor scores every input with it.</summary>
public sealed class InputDistributionBundleTests : IDisposable
{
    private static readonly FnetArchitecture Small2D = FnetArchitecture.Paper2D with { Depth = 2, MultChan = 4 };
    private readonly string _folder = TestEnvironment.NewTempFolder("labelfree-distribution");

    [Fact]
    public void A_bundle_keeps_its_description_and_its_predictor_scores_each_input_against_it()
    {
        var training = RandomNetworks.Volume(new VolumeShape(2, 64, 64), seed: 3);
        var description = InputDistribution.Describe([ZScore.Normalize(training)])!;
        Save(description);

        var loaded = ModelBundle.ReadManifest(_folder).InputDistribution;
        using var predictor = new StructurePredictor(ModelBundle.Load(_folder));
        var prediction = predictor.Predict(training, null);

        Assert.NotNull(loaded);
        Assert.Equal(description.Mean, loaded.Mean);
        Assert.Equal(description.Reference.SelectMany(r => r), loaded.Reference.SelectMany(r => r));
        Assert.Equal(description.Score(ZScore.Normalize(training)), prediction.Distribution);
        Assert.False(prediction.Distribution!.OutOfDistribution);
    }

    [Fact]
    public void A_bundle_written_before_descriptions_existed_loads_and_its_predictions_carry_no_score()
    {
        Save(null);
        File.WriteAllLines(Path.Combine(_folder, ModelBundle.ManifestFileName),
            File.ReadAllLines(Path.Combine(_folder, ModelBundle.ManifestFileName)).Where(line => !line.Contains("\"inputDistribution\"", StringComparison.Ordinal)));

        using var predictor = new StructurePredictor(ModelBundle.Load(_folder));

        Assert.Null(predictor.Manifest.InputDistribution);
        Assert.Null(predictor.Predict(RandomNetworks.Volume(new VolumeShape(1, 32, 32), seed: 1), null).Distribution);
    }

    [Fact]
    public void A_description_of_other_features_is_refused_when_the_bundle_loads()
    {
        var description = InputDistribution.Describe([ZScore.Normalize(RandomNetworks.Volume(new VolumeShape(1, 64, 64), seed: 2))])!;

        Save(description with { Features = ["mean", "brightness"] });

        var error = Assert.Throws<ModelBundleException>(() => ModelBundle.ReadManifest(_folder));

        Assert.Contains("inputDistribution", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Save(InputDistribution? description)
    {
        var network = RandomNetworks.Create(Small2D, seed: 1);
        var manifest = ModelManifest.Describe(new ModelCard("dna", "BrightField"), Small2D) with { InputDistribution = description };
        using var bundle = new ModelBundle(manifest, network);
        bundle.Save(_folder);
    }
}
