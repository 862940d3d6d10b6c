using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// One of the 8 symmetries of a square acting on every YX plane of a volume (Z untouched): an optional
/// transpose (swap Y and X) followed by optional flips of Y and X. Together they give the identity, the
/// three 90-degree rotations and the four reflections. Used by test-time augmentation: predict each
/// transformed input, map each prediction back with <see cref="Invert"/>, average.
/// </summary>
/// <remarks>Exact: voxels are only moved, never interpolated.</remarks>
public readonly record struct DihedralTransform(bool Transpose, bool FlipY, bool FlipX)
{
    /// <summary>The whole group, identity first.</summary>
    public static IReadOnlyList<DihedralTransform> All { get; } =
    [
        new(false, false, false), new(false, false, true), new(false, true, false), new(false, true, true),
        new(true, false, false), new(true, false, true), new(true, true, false), new(true, true, true),
    ];

    public bool IsIdentity => !Transpose && !FlipY && !FlipX;

    /// <summary>The shape of a volume of <paramref name="shape"/> after this transform.</summary>
    public VolumeShape Map(VolumeShape shape) => Transpose ? shape with { Y = shape.X, X = shape.Y } : shape;

    /// <summary>out[z, i, j] = in[z, (a, b) or (b, a)] with a = i or Y'-1-i and b = j or X'-1-j (Y', X': the output's size).</summary>
    public Volume Apply(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var from = volume.Shape;
        var to = Map(from);
        var result = new Volume(to);
        for (var z = 0; z < to.Z; z++)
        {
            var source = volume.Plane(z);
            var target = result.Plane(z);
            for (var i = 0; i < to.Y; i++)
            {
                var a = FlipY ? to.Y - 1 - i : i;
                for (var j = 0; j < to.X; j++)
                {
                    var b = FlipX ? to.X - 1 - j : j;
                    target[(i * to.X) + j] = Transpose ? source[(b * from.X) + a] : source[(a * from.X) + b];
                }
            }
        }

        return result;
    }

    /// <summary>The volume <paramref name="transformed"/> came from by <see cref="Apply"/>: the inverse transform.</summary>
    public Volume Invert(Volume transformed)
    {
        ArgumentNullException.ThrowIfNull(transformed);
        var from = transformed.Shape;
        var to = Map(from);
        var result = new Volume(to);
        for (var z = 0; z < to.Z; z++)
        {
            var source = transformed.Plane(z);
            var target = result.Plane(z);
            for (var y = 0; y < to.Y; y++)
            {
                for (var x = 0; x < to.X; x++)
                {
                    // Apply wrote in[a, b] (or in[b, a] when transposing) to out[i, j]; read it back from there.
                    var (a, b) = Transpose ? (x, y) : (y, x);
                    var i = FlipY ? from.Y - 1 - a : a;
                    var j = FlipX ? from.X - 1 - b : b;
                    target[(y * to.X) + x] = source[(i * from.X) + j];
                }
            }
        }

        return result;
    }

    public override string ToString() => IsIdentity ? "identity" : string.Join("+", new[] { Transpose ? "transpose" : null, FlipY ? "flip-y" : null, FlipX ? "flip-x" : null }.OfType<string>());
}
