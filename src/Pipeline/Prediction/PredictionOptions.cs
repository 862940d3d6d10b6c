using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>How a volume is pushed through the network: in one pass or tile by tile, in which precision, on how many threads.</summary>
public sealed record PredictionOptions
{
    /// <summary>
    /// Largest input (voxels, or pixels x planes for a 2D network) predicted in one forward pass.
    /// The default 2^22 (e.g. 64x256x256) peaks around 5 GB in float32 with the paper's 3D net
    /// (measured: 48x240x368 = 4.2 M voxels, 5.0-5.2 GB); bfloat16 needs about 60 % of that.
    /// </summary>
    public long MaxVoxelsPerPass { get; init; } = 1L << 22;

    /// <summary>
    /// Tile size (ZYX) when the volume exceeds <see cref="MaxVoxelsPerPass"/>; each size a multiple of 2^depth,
    /// clamped to the volume. A 2D network uses Y and X only (Z planes go through as a batch).
    /// </summary>
    public VolumeShape TileShape { get; init; } = new(64, 256, 256);

    /// <summary>
    /// Voxels neighbouring tiles share along each axis (at least; the last tile of a row is aligned to the
    /// volume's end and may overlap more). Predictions are cross-faded over this width.
    /// </summary>
    public int Overlap { get; init; } = 32;

    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>libtorch intra-op threads (torch.set_num_threads); the setting is process-wide.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxVoxelsPerPass < 1)
        {
            throw new ArgumentException($"MaxVoxelsPerPass must be positive, not {MaxVoxelsPerPass}.");
        }

        if (TileShape.Z < 1 || TileShape.Y < 1 || TileShape.X < 1)
        {
            throw new ArgumentException($"TileShape {TileShape} must be positive on every axis.");
        }

        if (TileShape.VoxelCount > MaxVoxelsPerPass)
        {
            throw new ArgumentException($"TileShape {TileShape} ({TileShape.VoxelCount} voxels) exceeds MaxVoxelsPerPass {MaxVoxelsPerPass}.");
        }

        // Z is checked by the predictor, which knows whether Z is tiled (3D networks) or a batch of planes (2D).
        if (Overlap < 0 || Overlap >= Math.Min(TileShape.Y, TileShape.X))
        {
            throw new ArgumentException($"Overlap must be at least 0 and smaller than the tile's Y and X ({TileShape}), not {Overlap}.");
        }

        if (Threads < 1)
        {
            throw new ArgumentException($"Threads must be at least 1, not {Threads}.");
        }

        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentException($"Unknown precision {Precision}.");
        }
    }
}
