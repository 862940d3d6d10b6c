using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Prediction;

/// <summary>Test-time augmentation: the mean of the predictions of the 8 YX symmetries, each mapped back.</summary>
public class TestTimeAugmentationTests
{
    // Depth 2: Y and X must be multiples of 4. 30x45 is padded to 32x48, so the transposed copies have another shape.
    private static readonly FnetArchitecture Small2D = FnetArchitecture.Paper2D with { Depth = 2, MultChan = 4 };
    private static readonly VolumeShape InputShape = new(2, 30, 45);

    [Fact]
    public void Each_transform_is_undone_by_its_inverse_and_the_eight_are_distinct()
    {
        var volume = RandomNetworks.Volume(new VolumeShape(2, 3, 5), seed: 4);

        var images = DihedralTransform.All.Select(t => t.Apply(volume)).ToList();

        Assert.All(DihedralTransform.All.Zip(images), pair => Assert.Equal(volume.Voxels, pair.First.Invert(pair.Second).Voxels));
        Assert.Equal(8, images.Select(i => string.Join(",", i.Shape, string.Join(",", i.Voxels))).Distinct().Count());
    }

    [Fact]
    public void For_a_model_equivariant_under_the_symmetries_of_the_square_it_equals_the_plain_prediction()
    {
        // Kernels averaged over the 8 symmetries (3x3 convs, and the 2x2 stride-2 down and up convs on a grid of
        // even size) make the whole net commute with flips and transposes, so TTA can change only float rounding.
        var input = RandomNetworks.Volume(InputShape, seed: 7);
        using var plain = Predictor(Symmetric(RandomNetworks.CreateSignalPreserving(Small2D, seed: 5)), augmented: false);
        using var augmented = Predictor(Symmetric(RandomNetworks.CreateSignalPreserving(Small2D, seed: 5)), augmented: true);

        var expected = plain.Predict(input, null).Volume.Voxels;
        var actual = augmented.Predict(input, null).Volume.Voxels;

        var range = expected.Max(Math.Abs);
        Assert.True(range > 0.1, "the output must vary for the comparison to mean something");
        Assert.True(MaxDifference(actual, expected) <= 1e-5 * range, $"max difference {MaxDifference(actual, expected) / range:E2} of the range");
    }

    [Fact]
    public void For_any_model_it_is_the_mean_of_the_eight_transformed_predictions_mapped_back()
    {
        // The reference is built here with torch's rot90 and flip, independently of DihedralTransform.
        var input = RandomNetworks.Volume(new VolumeShape(2, 32, 48), seed: 8);
        using var plain = Predictor(RandomNetworks.CreateSignalPreserving(Small2D, seed: 6), augmented: false);
        using var augmented = Predictor(RandomNetworks.CreateSignalPreserving(Small2D, seed: 6), augmented: true);
        using var image = tensor(input.Voxels, [input.Depth, input.Height, input.Width]);
        var sum = zeros(image.shape, dtype: ScalarType.Float64);
        foreach (var flip in new[] { false, true })
        {
            for (var quarterTurns = 0; quarterTurns < 4; quarterTurns++)
            {
                var transformed = (flip ? image.flip(2) : image).rot90(quarterTurns, (1, 2)).contiguous();
                var shape = new VolumeShape((int)transformed.shape[0], (int)transformed.shape[1], (int)transformed.shape[2]);
                var predicted = plain.Predict(new Volume(shape, transformed.data<float>().ToArray()), null).Volume;
                var back = tensor(predicted.Voxels, [shape.Z, shape.Y, shape.X]).rot90(-quarterTurns, (1, 2));
                sum += (flip ? back.flip(2) : back).to(ScalarType.Float64);
            }
        }

        var expected = (sum / 8).to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var actual = augmented.Predict(input, null).Volume.Voxels;

        var range = expected.Max(Math.Abs);
        Assert.True(MaxDifference(actual, expected) <= 1e-5 * range, $"max difference {MaxDifference(actual, expected) / range:E2} of the range");
        var unaugmented = plain.Predict(input, null).Volume.Voxels;
        Assert.True(MaxDifference(unaugmented, expected) > 0.01 * range, "a random net is not equivariant: TTA must change its prediction");
    }

    private static StructurePredictor Predictor(Fnet network, bool augmented)
    {
        var manifest = ModelManifest.Describe(new ModelCard("dna", "BrightField"), network.Architecture);
        return new StructurePredictor(new ModelBundle(manifest, network), new PredictionOptions { Threads = 2, TestTimeAugmentation = augmented });
    }

    private static Fnet Symmetric(Fnet network)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() == 4)
            {
                // The last two axes of conv (out, in, ky, kx) and transposed-conv (in, out, ky, kx) weights are the kernel's.
                var mean = zeros_like(parameter);
                foreach (var kernel in new[] { parameter, parameter.transpose(2, 3) })
                {
                    mean += kernel + kernel.flip(2) + kernel.flip(3) + kernel.flip(2, 3);
                }

                parameter.copy_(mean / 8);
            }
        }

        return network;
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
