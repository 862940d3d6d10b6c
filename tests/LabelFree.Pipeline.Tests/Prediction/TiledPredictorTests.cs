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
    public void Tiled_prediction_under_the_product_policy_matches_one_pass_within_one_percent_of_the_output_std()
    {
        // The product's policy (seam margin from the receptive field, tile shape chosen per stack) with its voxel
        // budget scaled down so a depth-2 net's 16x96x96 stack is cut in tiles. He-scaled weights, so the output
        // varies as much as a trained net's. Eval-mode batch norm is a fixed affine map: a tile's output differs
        // from the whole-volume one only within the receptive-field radius of its inner edges, which the margin
        // keeps out. Measured with this seed: max difference 0 (float rounding); margin 0 gives seams of 100 %+.
        using var network = RandomNetworks.CreateSignalPreserving(Small3D, seed: 1);
        var input = RandomNetworks.Volume(new VolumeShape(16, 96, 96), seed: 1);
        using var whole = new TiledPredictor(network);
        using var tiled = new TiledPredictor(network, new PredictionOptions { MaxVoxelsPerPass = 16 * 96 * 64, Threads = 2 });
        using var seamed = new TiledPredictor(network, new PredictionOptions { MaxVoxelsPerPass = 16 * 96 * 64, Margin = 0, Threads = 2 });

        var reference = whole.Predict(input).Voxels;
        var blended = tiled.Predict(input).Voxels;
        var unblended = seamed.Predict(input).Voxels;

        var layout = tiled.Layout(input.Shape);
        Assert.True(layout.TileCount > 1, "the stack must be tiled for the comparison to mean something");
        Assert.Equal(ReceptiveField.SeamMargin(Small3D), layout.Margin);
        var std = StandardDeviation(reference);
        Assert.True(std > 0.1, "the output must vary for the comparison to mean something");
        Assert.True(MaxDifference(blended, reference) <= 0.01 * std, $"max {MaxDifference(blended, reference) / std:P3} of std");
        Assert.InRange(Pearson(reference, blended), 0.9999, 1.0);
        Assert.True(MaxDifference(unblended, reference) > 0.1 * std, "without the margin the seams show: the margin is what removes them");
    }

    [Fact]
    public void Tiles_stay_within_the_budget_start_on_the_networks_grid_and_cover_the_volume()
    {
        using var network = RandomNetworks.Create(Small3D, seed: 2);
        var shape = new VolumeShape(48, 240, 368);
        using var predictor = new TiledPredictor(network, new PredictionOptions { MaxVoxelsPerPass = 400_000 });

        var tiles = predictor.PlanTiles(shape);

        Assert.All(tiles, t => Assert.True(t.Shape.VoxelCount <= 400_000, $"{t} exceeds the budget"));
        Assert.All(tiles, t => Assert.True(t.Z % 4 == 0 && t.Y % 4 == 0 && t.X % 4 == 0, $"{t} is off the 2^depth grid"));
        var covered = new bool[shape.VoxelCount];
        foreach (var t in tiles)
        {
            for (var z = t.Z; z < t.Z + t.Shape.Z; z++)
            {
                for (var y = t.Y; y < t.Y + t.Shape.Y; y++)
                {
                    Array.Fill(covered, true, (((z * shape.Y) + y) * shape.X) + t.X, t.Shape.X);
                }
            }
        }

        Assert.All(covered, Assert.True);
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
        using var predictor = new TiledPredictor(network, new PredictionOptions { MaxVoxelsPerPass = 2 * 32 * 48 });

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
        using var predictor = new TiledPredictor(network, TiledOptions());
        var process = Process.GetCurrentProcess();
        // As many passes before measuring as after: the allocator's own growth to its steady state (arenas, caches;
        // measured at up to 57 MB after 3 passes in one CI run) happens here, while a leak grows in both windows alike.
        for (var warmUp = 0; warmUp < 30; warmUp++)
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

        // Every tensor a prediction makes (2 tiles x ~30 per forward) is disposed before Predict returns.
        Assert.Equal(liveTensors, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        // 30 leaked passes would hold ~30 x 2 tiles x several MB of activations; allocator noise stays far below 50 MB.
        Assert.InRange(process.WorkingSet64 - workingSet, long.MinValue, 50L * 1024 * 1024);
    }

    [Fact]
    public void A_cancelled_prediction_stops_between_tiles()
    {
        using var network = RandomNetworks.Create(Small3D, seed: 37);
        using var predictor = new TiledPredictor(network, TiledOptions());
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => predictor.Predict(RandomNetworks.Volume(new VolumeShape(32, 64, 64), seed: 7), cancellation.Token));
    }

    // Two tiles of 16x64x56 for a 16x64x64 volume (the margin, 23 for depth 2, needs tiles of at least 50).
    private static PredictionOptions TiledOptions() =>
        new() { MaxVoxelsPerPass = 16 * 64 * 56, Threads = 2 };

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
