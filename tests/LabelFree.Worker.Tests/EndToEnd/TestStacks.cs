using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>Small OME-TIFF stacks: a bright-field-like channel and a fluorescence channel ("dna") as ground truth.</summary>
internal static class TestStacks
{
    public static readonly string[] ChannelNames = ["bright-field", "dna"];

    public static Hyperstack Image(int frames = 1, int depth = 16, int height = 32, int width = 32, int seed = 1)
    {
        var random = new Random(seed);
        var shape = new VolumeShape(depth, height, width);
        var volumes = new List<Volume>();
        for (var t = 0; t < frames; t++)
        {
            var light = new Volume(shape);
            var truth = new Volume(shape);
            for (var i = 0; i < light.Voxels.Length; i++)
            {
                var nucleus = (float)Math.Sin(i * 0.05 + t);
                light.Voxels[i] = 100 + (10 * nucleus) + random.NextSingle();
                truth.Voxels[i] = (5 * nucleus) + random.NextSingle();
            }

            volumes.Add(light);
            volumes.Add(truth);
        }

        return new Hyperstack(frames, 2, volumes, VoxelSize.PaperIsotropic, ChannelNames);
    }

    public static byte[] Encode(Hyperstack image)
    {
        using var buffer = new MemoryStream();
        OmeTiffWriter.Write(image, buffer);
        return buffer.ToArray();
    }

    public static byte[] OmeTiff(int frames = 1, int depth = 16, int height = 32, int width = 32, int seed = 1) =>
        Encode(Image(frames, depth, height, width, seed));
}
