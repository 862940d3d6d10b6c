using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// One random draw of an <see cref="Augmentation"/> for one patch: which flips, whether the YX plane is
/// transposed, and the intensity gain and offset. Signal and target get the same geometry; only the signal
/// gets the intensity change.
/// </summary>
internal readonly record struct PatchTransform(bool FlipZ, bool FlipY, bool FlipX, bool Transpose, float Gain, float Offset)
{
    public static readonly PatchTransform Identity = new(false, false, false, false, 1f, 0f);

    public bool IsGeometric => FlipZ || FlipY || FlipX || Transpose;

    public static PatchTransform Draw(Augmentation augmentation, VolumeShape patch, SeededRandom random)
    {
        if (!augmentation.Any)
        {
            return Identity;
        }

        var flipY = false;
        var flipX = false;
        var transpose = false;
        if (augmentation.PlaneSymmetries)
        {
            flipY = random.NextInt(2) == 1;
            flipX = random.NextInt(2) == 1;
            transpose = patch.Y == patch.X && random.NextInt(2) == 1;
        }

        var flipZ = augmentation.DepthFlips && patch.Z > 1 && random.NextInt(2) == 1;
        var gain = 1f;
        var offset = 0f;
        if (augmentation.IntensityJitter)
        {
            var logRange = Math.Log(augmentation.GainRange);
            gain = (float)Math.Exp(random.NextDouble(-logRange, logRange));
            offset = (float)random.NextDouble(-augmentation.OffsetRange, augmentation.OffsetRange);
        }

        return new PatchTransform(flipZ, flipY, flipX, transpose, gain, offset);
    }

    /// <summary>Transforms a (Z, Y, X) patch in place; <paramref name="scratch"/> holds a patch's voxels.</summary>
    public void Apply(Span<float> patch, VolumeShape shape, Span<float> scratch, bool intensity)
    {
        if (IsGeometric)
        {
            patch.CopyTo(scratch);
            var (depth, height, width) = (shape.Z, shape.Y, shape.X);
            for (var z = 0; z < depth; z++)
            {
                var sz = FlipZ ? depth - 1 - z : z;
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        // Output (y, x) reads the source at the transposed, then flipped, position.
                        var (sy, sx) = Transpose ? (x, y) : (y, x);
                        sy = FlipY ? height - 1 - sy : sy;
                        sx = FlipX ? width - 1 - sx : sx;
                        patch[(z * height + y) * width + x] = scratch[(sz * height + sy) * width + sx];
                    }
                }
            }
        }

        if (intensity && (Gain != 1f || Offset != 0f))
        {
            for (var i = 0; i < patch.Length; i++)
            {
                patch[i] = patch[i] * Gain + Offset;
            }
        }
    }
}
