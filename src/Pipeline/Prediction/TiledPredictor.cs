using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// Predicts a whole volume with an fnet network in bounded memory: in one forward pass when the volume
/// fits <see cref="PredictionOptions.MaxVoxelsPerPass"/>, otherwise tile by tile (<see cref="TilePlan"/>),
/// each tile's output kept a seam margin away from its inner edges and neighbours cross-faded beyond it
/// (output = sum(w * prediction) / sum(w)). Input and output are on the model's grid:
/// resampling, normalisation and padding to a multiple of 2^depth happen before.
/// </summary>
/// <remarks>
/// Eval mode: batch norm uses its running statistics, a fixed per-channel affine map, so a tile's
/// prediction differs from the whole-volume one only where the network's receptive field crosses the
/// tile's border; the overlap and blending keep those voxels out of the result. A 2D network runs
/// plane by plane, planes batched. Not thread-safe: one predictor per thread.
/// </remarks>
public sealed class TiledPredictor : IDisposable
{
    private readonly FoldedFnet _network;

    /// <summary>
    /// Folds <paramref name="network"/>'s eval-mode batch norms into a prediction copy of its weights
    /// (<see cref="FoldedFnet"/>), in bfloat16 when the options say so; the caller's network is not changed.
    /// </summary>
    public TiledPredictor(Fnet network, PredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Options = options ?? new PredictionOptions();
        Options.Validate();
        var architecture = network.Architecture;
        if (architecture.InChannels != 1 || architecture.OutChannels != 1)
        {
            throw new ArgumentException($"Volume prediction needs a network with one input and one output channel, not a {architecture}.", nameof(network));
        }

        _network = FoldedFnet.From(network);
        if (Options.Precision == Precision.BFloat16)
        {
            _network.ConvertTo(ScalarType.BFloat16);
        }
    }

    public PredictionOptions Options { get; }

    public FnetArchitecture Architecture => _network.Architecture;

    /// <summary>The tiles <see cref="Predict"/> would run for a volume of this shape, in order.</summary>
    public IReadOnlyList<Tile> PlanTiles(VolumeShape shape)
    {
        RequireShapeFits(shape);
        return TilePlan.For(shape, Architecture, Options).Tiles.Select(planned => planned.Tile).ToList();
    }

    /// <summary>How <see cref="Predict"/> would cut a volume of this shape: tile shape, count, seam margin, extra work.</summary>
    public TileLayout Layout(VolumeShape shape)
    {
        RequireShapeFits(shape);
        var plan = TilePlan.For(shape, Architecture, Options);
        return new TileLayout(shape, plan.TileShape, plan.Tiles.Count, plan.Margin, plan.VoxelOverhead);
    }

    /// <summary>The prediction for <paramref name="input"/>, same shape, float32.</summary>
    /// <exception cref="NetworkInputShapeException">A size the network cannot take (for 3D every axis, for 2D Y and X, must be a multiple of 2^depth).</exception>
    public Volume Predict(Volume input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireShapeFits(input.Shape);
        torch.set_num_threads(Options.Threads);
        var plan = TilePlan.For(input.Shape, Architecture, Options);
        using var noGrad = no_grad();

        if (plan.Tiles.Count == 1)
        {
            return new Volume(input.Shape, PredictTile(input, plan.Tiles[0].Tile));
        }

        var weighted = new float[input.Voxels.Length];
        var weights = new float[input.Voxels.Length];
        foreach (var planned in plan.Tiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Accumulate(planned, PredictTile(input, planned.Tile), input.Shape, weighted, weights);
        }

        for (var i = 0; i < weighted.Length; i++)
        {
            weighted[i] /= weights[i];
        }

        return new Volume(input.Shape, weighted);
    }

    public void Dispose() => _network.Dispose();

    private float[] PredictTile(Volume input, Tile tile)
    {
        // One dispose scope per tile (and no await inside it): every tensor of this pass is freed before the next.
        using var scope = torch.NewDisposeScope();
        var shape = tile.Shape;
        long[] tensorShape = Architecture.Dimensions == 3
            ? [1, 1, shape.Z, shape.Y, shape.X]
            : [shape.Z, 1, shape.Y, shape.X];
        var block = torch.tensor(CopyBlock(input, tile), tensorShape);
        if (Options.Precision == Precision.BFloat16)
        {
            block = block.to(ScalarType.BFloat16);
        }

        var prediction = _network.Forward(block);
        if (prediction.dtype != ScalarType.Float32)
        {
            prediction = prediction.to(ScalarType.Float32);
        }

        return prediction.contiguous().data<float>().ToArray();
    }

    private static float[] CopyBlock(Volume input, Tile tile)
    {
        var shape = tile.Shape;
        if (shape == input.Shape)
        {
            return input.Voxels;
        }

        var block = new float[shape.VoxelCount];
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                var source = ((long)(tile.Z + z) * input.Height + tile.Y + y) * input.Width + tile.X;
                Array.Copy(input.Voxels, source, block, ((long)z * shape.Y + y) * shape.X, shape.X);
            }
        }

        return block;
    }

    private static void Accumulate(PlannedTile planned, float[] prediction, VolumeShape volume, float[] weighted, float[] weights)
    {
        var tile = planned.Tile;
        var shape = tile.Shape;
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                var rowWeight = planned.ZWeights[z] * planned.YWeights[y];
                var target = ((tile.Z + z) * volume.Y + tile.Y + y) * volume.X + tile.X;
                var source = (z * shape.Y + y) * shape.X;
                for (var x = 0; x < shape.X; x++)
                {
                    var weight = rowWeight * planned.XWeights[x];
                    weighted[target + x] += weight * prediction[source + x];
                    weights[target + x] += weight;
                }
            }
        }
    }

    private void RequireShapeFits(VolumeShape shape)
    {
        var multiple = Architecture.SpatialMultiple;
        var checkedAxes = Architecture.Dimensions == 3
            ? new[] { ("Z", shape.Z), ("Y", shape.Y), ("X", shape.X) }
            : new[] { ("Y", shape.Y), ("X", shape.X) };
        foreach (var (axis, size) in checkedAxes)
        {
            if (size % multiple != 0)
            {
                throw new NetworkInputShapeException(
                    $"Volume {shape}: {axis} = {size} is not a multiple of {multiple} (2^depth, depth {Architecture.Depth}). Pad the volume to the model grid first.");
            }
        }
    }
}
