using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Prediction;

/// <summary>A prediction with NaN or infinite voxels never leaves the predictor: predict, evaluate, register and the worker all get a named error instead.</summary>
public class NonFinitePredictionTests
{
    [Fact]
    public void A_network_that_overflows_gets_an_error_naming_the_structure_not_a_nan_image()
    {
        var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 1, MultChan = 4 }, seed: 3);
        using (no_grad())
        {
            // Finite weights, each 1e30 times too large: two convolutions in a row leave float32's range.
            foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() > 1))
            {
                parameter.mul_(1e30);
            }
        }

        var card = new ModelCard("dna", "BrightField") { VoxelSize = VoxelSize.PaperIsotropic };
        using var predictor = new StructurePredictor(new ModelBundle(ModelManifest.Describe(card, network.Architecture), network));
        var input = RandomNetworks.Volume(new VolumeShape(8, 16, 16), seed: 1);

        var error = Assert.Throws<NonFinitePredictionException>(() => predictor.Predict(input, VoxelSize.PaperIsotropic));

        Assert.Equal("dna", error.Structure);
        Assert.InRange(error.NonFiniteVoxels, 1, input.Shape.VoxelCount);
        Assert.Contains("labelfree selftest", error.Message, StringComparison.Ordinal);
    }
}
