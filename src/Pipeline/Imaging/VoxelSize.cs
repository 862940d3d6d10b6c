namespace LabelFree.Pipeline.Imaging;

/// <summary>Physical size of one voxel in micrometres, per axis (Z, Y, X).</summary>
public readonly record struct VoxelSize(double Z, double Y, double X)
{
    /// <summary>The paper's working grid: 0.29 µm isotropic (the z-step of the Allen 100x stacks).</summary>
    public static VoxelSize PaperIsotropic { get; } = new(0.29, 0.29, 0.29);

    public static VoxelSize Isotropic(double micrometres) => new(micrometres, micrometres, micrometres);

    public bool IsValid => double.IsFinite(Z) && double.IsFinite(Y) && double.IsFinite(X) && Z > 0 && Y > 0 && X > 0;

    public override string ToString() =>
        FormattableString.Invariant($"{Z:0.####} x {Y:0.####} x {X:0.####} µm (ZYX)");
}
