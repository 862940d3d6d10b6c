namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// How a volume is pushed through the network: in one pass or tile by tile, in which precision, on how many
/// threads. The one tiling policy of the product: the CLI uses these options and the worker binds the same
/// settings (LabelFree:Prediction:MaxVoxelsPerPass, :Margin) with the same defaults.
/// </summary>
public sealed record PredictionOptions
{
    /// <summary>The default of <see cref="MaxVoxelsPerPass"/>; the worker's LabelFree:Prediction:MaxVoxelsPerPass defaults to it too.</summary>
    public const long DefaultMaxVoxelsPerPass = 8_388_608;

    /// <summary>
    /// Largest input (voxels, or pixels x planes for a 2D network) predicted in one forward pass: the
    /// memory budget. A volume within it is predicted in one pass (no seams, no extra work); a larger one in
    /// tiles of at most this many voxels, their shape chosen per volume (<see cref="TilePlan"/>).
    /// The default, 8 Mi voxels, predicts a paper-size stack (65x624x924 at 0.29/0.108/0.108 µm, 80x240x352 =
    /// 6.76 M voxels on the model grid) in one pass: `labelfree predict` with two paper-net models peaked at
    /// 6.5 GB (tcmalloc); a float32 pass adds about 540 bytes per voxel (`labelfree bench model` on glibc malloc,
    /// which gives the memory back: 2.30 GB for 4.24 M voxels), bfloat16 about 310. At 4 Mi the same stack took
    /// 10 passes, 5.9x the work. A 2 GB bound is possible but costly: seam-free tiles of the paper's depth-4 net
    /// need a 107-voxel margin, so tiles of under about 2.5 M voxels push most voxels through the net twice or more.
    /// </summary>
    public long MaxVoxelsPerPass { get; init; } = DefaultMaxVoxelsPerPass;

    /// <summary>
    /// Voxels a tile's output is kept away from each inner tile edge, where zero padding stands in for the
    /// neighbours the tile lacks; null (the default) takes it from the network's receptive field
    /// (<see cref="ReceptiveField.SeamMargin"/>: 107 for the paper's depth-4 net). Neighbouring tiles overlap
    /// by at least twice this; beyond the margins they are cross-faded.
    /// </summary>
    public int? Margin { get; init; }

    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>libtorch intra-op threads (torch.set_num_threads); the setting is process-wide.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Test-time augmentation: predict the model-grid input under the 8 YX symmetries of the square
    /// (<see cref="DihedralTransform"/>), map each prediction back and average. Costs 8 times the network
    /// time; off by default, as in the paper.
    /// </summary>
    public bool TestTimeAugmentation { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxVoxelsPerPass < 1)
        {
            throw new ArgumentException($"MaxVoxelsPerPass must be positive, not {MaxVoxelsPerPass}.");
        }

        if (Margin is < 0)
        {
            throw new ArgumentException($"Margin must be at least 0 (or unset: from the receptive field), not {Margin}.");
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
