using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>Hyperstacks with reproducible pseudo-random voxels, and exact comparisons between two of them.</summary>
internal static class SampleHyperstacks
{
    public static Hyperstack Random(int frames, int channels, int depth, int height, int width, int seed = 7,
        VoxelSize? voxelSize = null, IReadOnlyList<string>? channelNames = null, double? frameIntervalSeconds = null)
    {
        var random = new Random(seed);
        var volumes = new Volume[frames * channels];
        for (var i = 0; i < volumes.Length; i++)
        {
            var volume = new Volume(new VolumeShape(depth, height, width));
            // A different range per channel, like real fluorescence channels.
            var scale = 1 + (i % channels * 100);
            for (var v = 0; v < volume.Voxels.Length; v++)
            {
                volume.Voxels[v] = (float)((random.NextDouble() - 0.25) * scale);
            }

            volumes[i] = volume;
        }

        return new Hyperstack(frames, channels, volumes, voxelSize, channelNames, frameIntervalSeconds);
    }

    /// <summary>Asserts the same shape and bit-identical voxels.</summary>
    public static void AssertIdentical(Hyperstack expected, Hyperstack actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (var t = 0; t < expected.Frames; t++)
        {
            for (var c = 0; c < expected.Channels; c++)
            {
                Assert.Equal(expected[t, c].Voxels, actual[t, c].Voxels);
            }
        }
    }

    /// <summary>Sum of every voxel in double precision, in T, C, Z, Y, X order.</summary>
    public static double Sum(Hyperstack image)
    {
        var sum = 0.0;
        for (var t = 0; t < image.Frames; t++)
        {
            for (var c = 0; c < image.Channels; c++)
            {
                foreach (var v in image[t, c].Voxels)
                {
                    sum += v;
                }
            }
        }

        return sum;
    }

    /// <summary>All voxels in T, C, Z, Y, X order.</summary>
    public static float[] Flatten(Hyperstack image) =>
        Enumerable.Range(0, image.Frames)
            .SelectMany(t => Enumerable.Range(0, image.Channels).SelectMany(c => image[t, c].Voxels))
            .ToArray();
}
