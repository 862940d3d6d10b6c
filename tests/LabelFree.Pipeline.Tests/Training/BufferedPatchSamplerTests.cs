using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Tests.Training;

public class BufferedPatchSamplerTests
{
    // Image i: signal voxel = i * 1e6 + linear index, target = -signal, so a patch reveals its image and position.
    private static TrainingVolumes Image(int index, VolumeShape shape)
    {
        var signal = new Volume(shape);
        var target = new Volume(shape);
        for (var v = 0; v < signal.Voxels.Length; v++)
        {
            signal.Voxels[v] = index * 1_000_000 + v;
            target.Voxels[v] = -signal.Voxels[v];
        }

        return new TrainingVolumes($"image {index}", signal, target);
    }

    private static readonly VolumeShape ImageShape = new(4, 10, 12);
    private static readonly VolumeShape PatchShape = new(2, 4, 4);

    [Fact]
    public void Signal_and_target_patches_come_from_the_same_window()
    {
        var sampler = new BufferedPatchSampler(3, i => Image(i, ImageShape), PatchShape, bufferSize: 3, switchEvery: 0, seed: 5);

        var batch = sampler.NextBatch(16);

        Assert.Equal(16 * 32, batch.Signal.Length);
        for (var i = 0; i < batch.Signal.Length; i++)
        {
            Assert.Equal(-batch.Signal[i], batch.Target[i]);
        }

        // Each patch is a contiguous window: along X neighbours differ by 1, along Y by the image width.
        for (var b = 0; b < 16; b++)
        {
            var p = batch.Signal.AsSpan(b * 32, 32);
            Assert.Equal(1, p[1] - p[0]);
            Assert.Equal(ImageShape.X, p[4] - p[0]);
            Assert.Equal(ImageShape.Y * ImageShape.X, p[16] - p[0]);
        }
    }

    [Fact]
    public void Patches_cover_every_start_position_including_the_last_one()
    {
        var sampler = new BufferedPatchSampler(1, i => Image(i, ImageShape), PatchShape, bufferSize: 1, switchEvery: 0, seed: 11);
        var starts = new HashSet<(int, int, int)>();

        var batch = sampler.NextBatch(4000);
        for (var b = 0; b < batch.Count; b++)
        {
            var first = (int)batch.Signal[b * 32];
            starts.Add((first / (ImageShape.Y * ImageShape.X), first / ImageShape.X % ImageShape.Y, first % ImageShape.X));
        }

        // 3 z-starts x 7 y-starts x 9 x-starts = 189 windows, all reachable.
        Assert.Equal(3 * 7 * 9, starts.Count);
    }

    [Fact]
    public void The_buffer_switches_first_in_first_out_after_the_set_number_of_patches()
    {
        var loads = new List<int>();
        var sampler = new BufferedPatchSampler(5, i => { loads.Add(i); return Image(i, ImageShape); }, PatchShape,
            bufferSize: 2, switchEvery: 10, seed: 3);

        sampler.NextBatch(25);

        Assert.Equal(new[] { 0, 1, 2, 3 }, loads);
        Assert.Equal(new[] { 2, 3 }, sampler.Position.Buffer);
        Assert.Equal(4, sampler.Position.NextImage);
    }

    [Fact]
    public void A_restored_position_continues_with_exactly_the_same_patches()
    {
        TrainingVolumes Load(int i) => Image(i, ImageShape);
        var original = new BufferedPatchSampler(4, Load, PatchShape, bufferSize: 2, switchEvery: 7, seed: 99);
        original.NextBatch(20);
        var saved = original.Position;
        var expected = original.NextBatch(20);

        var resumed = new BufferedPatchSampler(4, Load, PatchShape, bufferSize: 2, switchEvery: 7, seed: 12345);
        resumed.Restore(saved);
        var actual = resumed.NextBatch(20);

        Assert.Equal(expected.Signal, actual.Signal);
        Assert.Equal(expected.Target, actual.Target);
    }

    [Fact]
    public void An_image_smaller_than_the_patch_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<TrainingDataException>(() =>
            new BufferedPatchSampler(1, i => Image(i, new VolumeShape(1, 10, 12)), PatchShape, 1, 0, 1));

        Assert.Contains("image 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("smaller than the training patch 2x4x4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Augmented_patches_are_symmetries_of_a_window_with_the_signal_alone_rescaled()
    {
        var shape = new VolumeShape(3, 9, 11);
        var augmentation = new Augmentation { PlaneSymmetries = true, DepthFlips = true, IntensityJitter = true };
        var sampler = new BufferedPatchSampler(1, i => Image(0, shape), PatchShape, 1, 0, seed: 3, augmentation);
        var seen = new HashSet<(bool, bool, bool, bool)>();

        var batch = sampler.NextBatch(400);
        for (var b = 0; b < batch.Count; b++)
        {
            var target = batch.Target.AsSpan(b * 32, 32).ToArray();
            // Target voxel = -(linear index in the image): the smallest index is the window's corner.
            var corner = (int)-target.Max();
            var (z0, y0, x0) = (corner / (shape.Y * shape.X), corner / shape.X % shape.Y, corner % shape.X);
            var match = Symmetries().Where(t => Enumerable.Range(0, 32).All(i => target[i] == -Source(t, i, z0, y0, x0, shape))).ToList();
            Assert.Single(match);
            seen.Add(match[0]);

            // Signal = gain * window + offset, one gain and offset per patch within the configured ranges.
            var signal = batch.Signal.AsSpan(b * 32, 32).ToArray();
            var (first, last) = (Array.IndexOf(target, target.Max()), Array.IndexOf(target, target.Min()));
            var gain = (signal[last] - signal[first]) / (target[first] - target[last]);
            var offset = signal[first] - gain * -target[first];
            Assert.InRange(gain, 1 / 1.2501, 1.2501);
            Assert.InRange(offset, -0.2001, 0.2001);
            for (var i = 0; i < 32; i++)
            {
                Assert.Equal(gain * -target[i] + offset, signal[i], 1e-2);
            }
        }

        Assert.Equal(16, seen.Count);
    }

    private static IEnumerable<(bool FlipZ, bool FlipY, bool FlipX, bool Transpose)> Symmetries() =>
        from z in new[] { false, true } from y in new[] { false, true } from x in new[] { false, true } from t in new[] { false, true } select (z, y, x, t);

    // The image index patch voxel i reads under a symmetry: output (y, x) = source (transposed, then flipped).
    private static float Source((bool FlipZ, bool FlipY, bool FlipX, bool Transpose) t, int i, int z0, int y0, int x0, VolumeShape shape)
    {
        var (pz, py, px) = (i / 16, i / 4 % 4, i % 4);
        var (sy, sx) = t.Transpose ? (px, py) : (py, px);
        sy = t.FlipY ? 3 - sy : sy;
        sx = t.FlipX ? 3 - sx : sx;
        var sz = t.FlipZ ? 1 - pz : pz;
        return ((z0 + sz) * shape.Y + y0 + sy) * shape.X + x0 + sx;
    }
}
