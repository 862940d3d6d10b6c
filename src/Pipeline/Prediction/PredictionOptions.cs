using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>How a volume is pushed through the network: in one pass or tile by tile, in which precision, on how many threads.</summary>
public sealed record PredictionOptions
{
    /// <summary>
    /// Largest input (voxels, or pixels x planes for a 2D network) predicted in one forward pass.
    /// The default, 1.8 M voxels, keeps a float32 pass of the paper's 3D net under the 2.5 GB target
    /// (issue 3). Measured with `labelfree bench model` on the 2-core dev machine: process peak RSS
    /// grows by 1.05 KB per voxel of the pass on top of about 0.5 GB (runtime, libtorch, weights, the
    /// stack's own arrays): 1.18 M voxels 1.73 GB, 1.66 M 2.29 GB, 2.21 M 2.81 GB, 48x240x368 = 4.24 M
    /// 4.7-4.8 GB. bfloat16 needs about half. The previous default, 2^22, peaked near 5 GB.
    /// </summary>
    public long MaxVoxelsPerPass { get; init; } = 1_800_000;

    /// <summary>
    /// Tile size (ZYX) when the volume exceeds <see cref="MaxVoxelsPerPass"/>; each size a multiple of 2^depth,
    /// clamped to the volume. A 2D network uses Y and X only (Z planes go through as a batch).
    /// </summary>
    /// <remarks>
    /// Measured (bench model, fp32): CPU time per voxel is the same for every tile shape tried, from
    /// 32x128x128 to 48x240x368 (4.4-5.1 µs), so tiled time is whole-stack time x the voxels the
    /// overlapping tiles push through. Among fixed shapes that hold all 64 planes of a typical stack
    /// within the memory budget (overlap 32), 64x144x144 (1.33 M voxels, about 1.9 GB) has the least
    /// overhead on the 48x240x368 stack, 1.41x (6 tiles), and 1.6x on average over typical stacks
    /// (32-64 planes, 240x368 to 624x928; the best shape on average, 64x256x112, gets 1.56x but 1.52x on
    /// 48x240x368). The previous 64x256x256 cost 1.39x on 48x240x368 but peaked at 3.6 GB.
    /// </remarks>
    public VolumeShape TileShape { get; init; } = new(64, 144, 144);

    /// <summary>
    /// Voxels neighbouring tiles share along each axis (at least; the last tile of a row is aligned to the
    /// volume's end and may overlap more). Predictions are cross-faded over this width.
    /// </summary>
    /// <remarks>
    /// Kept at 32 after measuring the paper's 3D net (He-scaled random weights) on 48x240x368 against the
    /// one-pass prediction: overlap 16 halves the tiling overhead but leaves seams up to 115-126 % of the
    /// output's standard deviation (RMS 5-9 %); 32 gives RMS 1.9-4.8 %, max 27-60 %; wider fades barely
    /// help (48 over a 112-voxel overlap: RMS 1.35 %, max 18 %), because the ramp starts at the tile
    /// edge where zero padding has corrupted the prediction most.
    /// </remarks>
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
