using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Prediction;

/// <summary>Runs alone: the memory test reads the process's working set, which tests running beside it would move.</summary>
[CollectionDefinition(nameof(TiledPredictorTests), DisableParallelization = true)]
public sealed class TiledPredictorCollection;

[Collection(nameof(TiledPredictorTests))]
public class TiledPredictorTests
{
    private static readonly FnetArchitecture Small3D = FnetArchitecture.Paper3D with { Depth = 2, MultChan = 4 };

    [Theory]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(2, 4)]
    public void A_volume_within_the_budget_is_predicted_in_one_pass_as_the_network_does_with_its_batch_norms_folded(int dimensions, int depth)
    {
        // Folding batch norm into the convolutions changes only rounding: within a few float32 ulps of the output's range.
        var architecture = (dimensions == 3 ? FnetArchitecture.Paper3D : FnetArchitecture.Paper2D) with { Depth = depth, MultChan = 8 };
        using var network = RandomNetworks.CreateSignalPreserving(architecture, seed: 31);
        var input = RandomNetworks.Volume(new VolumeShape(dimensions == 3 ? 16 : 3, 32, 48), seed: 1);
        using var predictor = new TiledPredictor(network);

        var predicted = predictor.Predict(input);

        Assert.Single(predictor.PlanTiles(input.Shape));
        var reference = Forward(network, input);
        var range = reference.Max(Math.Abs);
        Assert.True(range > 0.1, "the output must vary for the comparison to mean something");
        Assert.True(MaxDifference(predicted.Voxels, reference) <= 1e-5 * range, $"max difference {MaxDifference(predicted.Voxels, reference) / range:E2} of the range");
    }

    [Fact]
    public void Tiled_prediction_matches_whole_volume_prediction_once_blended()
    {
        // Eval-mode batch norm is a fixed per-channel affine map, so a tile's output differs from the
        // whole-volume output only within the receptive field (about +-22 voxels for depth 2) of a tile
        // border, where zero padding replaces real neighbours. Overlap 16 with cross-fading keeps the worst
        // of that out. Measured with this seed: RMS 0.3 %, max 2.2 % of the output's std (seeds 1-3: RMS
        // 0.2-0.8 %, max 2.2-5.5 %); without overlap the seams give RMS 39-82 %, max 660-870 %. The bounds
        // leave more than 2x margin over the worst seed.
        using var network = RandomNetworks.Create(Small3D, seed: 1);
        var input = RandomNetworks.Volume(new VolumeShape(32, 64, 64), seed: 1);
        using var whole = new TiledPredictor(network);
        using var tiled = new TiledPredictor(network, TiledOptions(overlap: 16));
        using var seamed = new TiledPredictor(network, TiledOptions(overlap: 0));

        var reference = whole.Predict(input).Voxels;
        var blended = tiled.Predict(input).Voxels;
        var unblended = seamed.Predict(input).Voxels;

        Assert.Equal(9, tiled.PlanTiles(input.Shape).Count); // 1 x 3 x 3: Z fits one tile
        var std = StandardDeviation(reference);
        Assert.True(RootMeanSquare(blended, reference) < 0.02 * std, $"RMS {RootMeanSquare(blended, reference) / std:P2} of std");
        Assert.True(MaxDifference(blended, reference) < 0.12 * std, $"max {MaxDifference(blended, reference) / std:P2} of std");
        Assert.True(RootMeanSquare(unblended, reference) > 10 * RootMeanSquare(blended, reference), "overlap and blending are what remove the seams");
    }

    [SkippableFact]
    public void Bfloat16_prediction_correlates_with_float32()
    {
        // At the level the product runs bfloat16 at; where no level passes bf16's self-test the product refuses it.
        var bfloat16 = ProductCompute.BFloat16();
        Skip.If(bfloat16.Refused, bfloat16.Describe());
        using var network = RandomNetworks.CreateSignalPreserving(Small3D, seed: 33);
        var input = RandomNetworks.Volume(new VolumeShape(16, 32, 32), seed: 3);
        using var full = new TiledPredictor(network);
        using var half = new TiledPredictor(network, new PredictionOptions { Precision = Precision.BFloat16 });

        var reference = full.Predict(input).Voxels;
        var approximate = half.Predict(input).Voxels;

        Assert.True(StandardDeviation(reference) > 0.1, "the output must vary for the correlation to mean something");
        Assert.InRange(Pearson(reference, approximate), 0.99, 1.0);
        Assert.Equal(reference, full.Predict(input).Voxels); // the caller's network stayed float32
    }

    [Fact]
    public void A_2d_network_predicts_a_stack_plane_by_plane()
    {
        using var network = RandomNetworks.Create(FnetArchitecture.Paper2D with { Depth = 2, MultChan = 4 }, seed: 34);
        var input = RandomNetworks.Volume(new VolumeShape(5, 32, 48), seed: 4);
        using var predictor = new TiledPredictor(network, new PredictionOptions { MaxVoxelsPerPass = 2 * 32 * 48, TileShape = new VolumeShape(1, 32, 48), Overlap = 16 });

        var predicted = predictor.Predict(input);

        Assert.Equal(3, predictor.PlanTiles(input.Shape).Count); // planes 0-1, 2-3, 4
        for (var z = 0; z < input.Depth; z++)
        {
            var plane = new Volume(new VolumeShape(1, 32, 48), input.Plane(z).ToArray());
            var alone = Forward(network, plane);
            Assert.True(MaxDifference(predicted.Plane(z).ToArray(), alone) < 1e-5, $"plane {z}");
        }
    }

    [Fact]
    public void A_volume_the_network_cannot_take_is_refused_before_any_work()
    {
        using var network = RandomNetworks.Create(Small3D, seed: 35);
        using var predictor = new TiledPredictor(network);

        var error = Assert.Throws<NetworkInputShapeException>(() => predictor.Predict(new Volume(new VolumeShape(16, 30, 32))));

        Assert.Contains("Y = 30", error.Message, StringComparison.Ordinal);
        Assert.Contains("multiple of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_predictions_do_not_accumulate_native_memory()
    {
        using var network = RandomNetworks.Create(Small3D, seed: 36);
        var input = RandomNetworks.Volume(new VolumeShape(16, 64, 64), seed: 6);
        using var predictor = new TiledPredictor(network, TiledOptions(overlap: 8));
        var process = Process.GetCurrentProcess();
        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            predictor.Predict(input);
        }

        var liveTensors = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        process.Refresh();
        var workingSet = process.WorkingSet64;
        for (var run = 0; run < 30; run++)
        {
            predictor.Predict(input);
        }

        process.Refresh();

        // Every tensor a prediction makes (8 tiles x ~60 per forward) is disposed before Predict returns.
        Assert.Equal(liveTensors, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        // 30 leaked passes would hold ~30 x 8 tiles x several MB of activations; allocator noise stays far below 50 MB.
        Assert.InRange(process.WorkingSet64 - workingSet, long.MinValue, 50L * 1024 * 1024);
    }

    [Fact]
    public void A_cancelled_prediction_stops_between_tiles()
    {
        using var network = RandomNetworks.Create(Small3D, seed: 37);
        using var predictor = new TiledPredictor(network, TiledOptions(overlap: 16));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => predictor.Predict(RandomNetworks.Volume(new VolumeShape(32, 64, 64), seed: 7), cancellation.Token));
    }

    private static PredictionOptions TiledOptions(int overlap) =>
        new() { MaxVoxelsPerPass = 32 * 32 * 32, TileShape = new VolumeShape(32, 32, 32), Overlap = overlap, Threads = 2 };

    private static float[] Forward(Fnet network, Volume input)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] shape = network.Architecture.Dimensions == 3
            ? [1, 1, input.Depth, input.Height, input.Width]
            : [input.Depth, 1, input.Height, input.Width];
        return network.forward(tensor(input.Voxels, shape)).data<float>().ToArray();
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    private static double RootMeanSquare(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average());

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    private static double Pearson(float[] a, float[] b)
    {
        double meanA = a.Average(), meanB = b.Average();
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }

        return covariance / Math.Sqrt(varianceA * varianceB);
    }
}
