using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Benchmarks.Accuracy;

/// <summary>
/// One real prediction task of the accuracy benchmark: a registered (signal, target) pair from the shared
/// real data, split along X into a training part and a test part the model never sees, the network and the
/// patches both recipes train with.
/// </summary>
/// <param name="Name">Report name, e.g. "cohenlab phase -> DAPI (2D)".</param>
/// <param name="SignalPath">Relative to the real-data folder.</param>
/// <param name="TargetPath">Relative to the real-data folder.</param>
/// <param name="SignalPlane">For a z-stack signal predicted by a 2D net: the plane to use.</param>
/// <param name="TestFromX">Columns from here on are the test region.</param>
public sealed record AccuracyTask(
    string Name,
    string SignalPath,
    string TargetPath,
    int? SignalPlane,
    int TestFromX,
    FnetArchitecture Architecture,
    VolumeShape Patch,
    int BatchSize)
{
    /// <summary>
    /// The voxel size training and prediction assume: a 3D model needs one, and the Allen crop records none (the
    /// prototype had already downsized it). Any value works as long as both sides agree: nothing is resampled.
    /// 2D tasks use their images at their own sampling (null).
    /// </summary>
    public VoxelSize? NominalVoxelSize => Dimensions == 3 ? VoxelSize.PaperIsotropic : null;

    /// <summary>
    /// The three tasks issue 10 names. Patches and batches are the reference measurement's for 2D (batch 8 of
    /// 128x128) and a budget-sized one for 3D (batch 4 of 32x64x64: the paper's 24 would run a handful of
    /// iterations in 10 CPU minutes); both recipes use the same ones.
    /// </summary>
    public static IReadOnlyList<AccuracyTask> Shared { get; } =
    [
        new("cohenlab phase -> DAPI (2D)",
            "cohenlab_frm_2d_phase_dapi/dish1_xy1c1_phase.tif", "cohenlab_frm_2d_phase_dapi/dish1_xy1c2_dapi.tif",
            SignalPlane: null, TestFromX: 384, FnetArchitecture.Paper2D, new VolumeShape(1, 128, 128), BatchSize: 8),
        // Plane 3 (1352.25 µm) is the in-focus plane of the "fine" series (sephace's z_positions_um.txt).
        new("sephaCe bright-field -> DAPI (2D)",
            "sephace_bf_zstack_dapi/set1/brightfield_zyx_uint8.tif", "sephace_bf_zstack_dapi/set1/dapi_yx_uint8.tif",
            SignalPlane: 3, TestFromX: 1008, FnetArchitecture.Paper2D, new VolumeShape(1, 128, 128), BatchSize: 8),
        new("allen bright-field -> DNA (3D)",
            "allen_fnet_3d_transmitted_dna/light_zyx_float32_uncompressed.tif", "allen_fnet_3d_transmitted_dna/nuc_zyx_float32_uncompressed.tif",
            SignalPlane: null, TestFromX: 96, FnetArchitecture.Paper3D, new VolumeShape(32, 64, 64), BatchSize: 4),
    ];

    public int Dimensions => Architecture.Dimensions;

    /// <summary>Reads the pair and splits it at <see cref="TestFromX"/>.</summary>
    /// <exception cref="ImageFileException">A file is missing or unreadable.</exception>
    public AccuracyTaskData Load(string realDataFolder)
    {
        var signal = Read(Path.Combine(realDataFolder, SignalPath), SignalPlane);
        var target = Read(Path.Combine(realDataFolder, TargetPath), null);
        if (signal.Shape != target.Shape)
        {
            throw new InvalidDataException($"{Name}: signal {signal.Shape} and target {target.Shape} differ in shape.");
        }

        return new AccuracyTaskData(
            ColumnRange(signal, 0, TestFromX), ColumnRange(target, 0, TestFromX),
            ColumnRange(signal, TestFromX, signal.Width), ColumnRange(target, TestFromX, target.Width));
    }

    private static Volume Read(string path, int? plane)
    {
        var volume = HyperstackFile.Read(path)[0, 0];
        if (plane is not { } z)
        {
            return volume;
        }

        var shape = new VolumeShape(1, volume.Height, volume.Width);
        return new Volume(shape, volume.Plane(z).ToArray());
    }

    private static Volume ColumnRange(Volume source, int from, int to)
    {
        var shape = source.Shape with { X = to - from };
        var voxels = new float[shape.VoxelCount];
        for (var row = 0; row < source.Depth * source.Height; row++)
        {
            source.Voxels.AsSpan(row * source.Width + from, shape.X).CopyTo(voxels.AsSpan(row * shape.X, shape.X));
        }

        return new Volume(shape, voxels);
    }
}
