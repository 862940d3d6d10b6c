using LabelFree.Pipeline.Models;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// How far an fnet output voxel sees into its input, and from that how far a tile's output must stay
/// from the tile's inner edges to match the whole-volume prediction.
/// </summary>
public static class ReceptiveField
{
    /// <summary>
    /// Voxels (at the input's sampling) from an output voxel to the farthest input voxel that can change
    /// it, along one axis: each 3-wide convolution at level l (scale 2^l) reaches 2^l further, each
    /// kernel-2 stride-2 halving adds up to 2^l, the transposed doubling nothing. A level l above the
    /// bottom has two convolutions before it halves and two after it doubles; the bottom level has two:
    /// sum over l of 5 x 2^l, plus 2 x 2^depth = 5 (2^depth - 1) + 2^(depth+1). Depth 4: 107; depth 2: 23.
    /// </summary>
    public static int Radius(FnetArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var bottomScale = 1 << architecture.Depth;
        return (5 * (bottomScale - 1)) + (2 * bottomScale);
    }

    /// <summary>
    /// The voxels a tile's output is kept from each inner tile edge: the whole <see cref="Radius"/>, so no output
    /// voxel that is used has seen the tile's zero padding and the tiled prediction equals the one-pass
    /// prediction to float rounding, whatever the weights. Measured (He-scaled random weights, 256x256 planes,
    /// largest difference as a fraction of the output's std): depth 2 (radius 23) 20 % at margin 16, 4.9 % at
    /// 20, 0 at 24; depth 3 (radius 51) 21 % at 32, 1.5 % at 40, 0 at 48; the paper's depth-4 net (radius 107)
    /// 4.7 % at 64 and 1.2 % at 76. How fast the difference falls inside the radius depends on the weights, so
    /// a fraction of it measured on one net promises nothing for another.
    /// </summary>
    public static int SeamMargin(FnetArchitecture architecture) => Radius(architecture);
}
