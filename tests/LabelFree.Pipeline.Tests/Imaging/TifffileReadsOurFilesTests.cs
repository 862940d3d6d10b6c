using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>tifffile (the reference Python reader) opens what OmeTiffWriter writes as OME with the right axes and values.</summary>
public sealed class TifffileReadsOurFilesTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-tifffile-reads");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public void Float32_hyperstack_is_read_as_OME_TCZYX_with_physical_sizes_and_channel_names()
    {
        PythonTiff.RequireAvailable();
        var image = SampleHyperstacks.Random(2, 3, 4, 10, 12, voxelSize: new VoxelSize(0.29, 0.108, 0.108),
            channelNames: ["bright", "dna", "µ-tubulin"], frameIntervalSeconds: 4);
        var path = Write(image, "tczyx.ome.tiff", OmeTiffWriteOptions.Default);

        var facts = PythonTiff.Describe(path)[0];

        Assert.True(facts.GetProperty("is_ome").GetBoolean());
        Assert.False(facts.GetProperty("is_bigtiff").GetBoolean());
        Assert.Equal("<", facts.GetProperty("byteorder").GetString());
        Assert.Equal("TCZYX", facts.GetProperty("axes").GetString());
        Assert.Equal([2, 3, 4, 10, 12], Ints(facts.GetProperty("shape")));
        Assert.Equal("float32", facts.GetProperty("dtype").GetString());
        Assert.Equal(SampleHyperstacks.Flatten(image)[..8].Select(v => (double)v), Doubles(facts.GetProperty("first_values")));
        Assert.Equal(SampleHyperstacks.Sum(image), facts.GetProperty("sum").GetDouble(), 6);

        var ome = facts.GetProperty("ome");
        Assert.Equal("Image:0", ome.GetProperty("image_id").GetString());
        Assert.Equal("Pixels:0", ome.GetProperty("pixels_id").GetString());
        Assert.Equal("XYZCT", ome.GetProperty("dimension_order").GetString());
        Assert.Equal("float", ome.GetProperty("type").GetString());
        Assert.Equal(0.108, ome.GetProperty("physical_size").GetProperty("X").GetDouble());
        Assert.Equal(0.108, ome.GetProperty("physical_size").GetProperty("Y").GetDouble());
        Assert.Equal(0.29, ome.GetProperty("physical_size").GetProperty("Z").GetDouble());
        Assert.Equal("µm", ome.GetProperty("physical_size_unit").GetProperty("X").GetString());
        Assert.Equal(4.0, ome.GetProperty("time_increment").GetDouble());
        Assert.Equal(["bright", "dna", "µ-tubulin"], Strings(ome.GetProperty("channel_names")));
        Assert.Equal(["Channel:0:0", "Channel:0:1", "Channel:0:2"], Strings(ome.GetProperty("channel_ids")));
        Assert.Equal(["1", "1", "1"], Strings(ome.GetProperty("channel_samples")));
        Assert.StartsWith("urn:uuid:", ome.GetProperty("uuid").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Scaled_uint16_with_Deflate_is_read_as_uint16_and_the_scaling_can_be_undone()
    {
        PythonTiff.RequireAvailable();
        var image = SampleHyperstacks.Random(1, 2, 3, 17, 19, channelNames: ["a", "b"]);
        var path = Write(image, "scaled.ome.tiff", new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16, Compress = true, RowsPerStrip = 5 });
        var info = HyperstackFile.Inspect(path);

        var facts = PythonTiff.Describe(path)[0];

        Assert.Equal("CZYX", facts.GetProperty("axes").GetString());
        Assert.Equal([2, 3, 17, 19], Ints(facts.GetProperty("shape")));
        Assert.Equal("uint16", facts.GetProperty("dtype").GetString());
        Assert.Equal(8, facts.GetProperty("compression").GetInt32());
        Assert.Equal(0.0, facts.GetProperty("min").GetDouble());
        Assert.Equal(65535.0, facts.GetProperty("max").GetDouble());
        var annotations = facts.GetProperty("ome").GetProperty("map_annotations");
        for (var c = 0; c < 2; c++)
        {
            var annotation = annotations.GetProperty($"Annotation:{c}");
            Assert.Equal(SampleScaling.OmeNamespace, annotation.GetProperty("namespace").GetString());
            var scaling = info.ChannelScaling[c]!.Value;
            Assert.Equal(scaling.Offset, double.Parse(annotation.GetProperty("pairs").GetProperty("offset").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(scaling.Scale, double.Parse(annotation.GetProperty("pairs").GetProperty("scale").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [SkippableFact]
    public void BigTIFF_and_a_single_plane_are_read_by_tifffile()
    {
        PythonTiff.RequireAvailable();
        var stack = SampleHyperstacks.Random(1, 1, 5, 21, 23, voxelSize: new VoxelSize(1, 0.5, 0.5));
        var plane = SampleHyperstacks.Random(1, 1, 1, 31, 29, seed: 3);
        var big = Write(stack, "big.ome.tiff", new OmeTiffWriteOptions { BigTiffThresholdBytes = 1 });
        var single = Write(plane, "plane.ome.tiff", OmeTiffWriteOptions.Default);

        var facts = PythonTiff.Describe(big, single);

        Assert.True(facts[0].GetProperty("is_bigtiff").GetBoolean());
        Assert.True(facts[0].GetProperty("is_ome").GetBoolean());
        Assert.Equal("ZYX", facts[0].GetProperty("axes").GetString());
        Assert.Equal([5, 21, 23], Ints(facts[0].GetProperty("shape")));
        Assert.Equal(SampleHyperstacks.Flatten(stack)[^8..].Select(v => (double)v), Doubles(facts[0].GetProperty("last_values")));
        Assert.Equal(SampleHyperstacks.Sum(stack), facts[0].GetProperty("sum").GetDouble(), 6);
        Assert.Equal("YX", facts[1].GetProperty("axes").GetString());
        Assert.Equal([31, 29], Ints(facts[1].GetProperty("shape")));
        Assert.Equal(SampleHyperstacks.Sum(plane), facts[1].GetProperty("sum").GetDouble(), 6);
    }

    private string Write(Hyperstack image, string name, OmeTiffWriteOptions options)
    {
        var path = Path.Combine(_folder, name);
        OmeTiffWriter.Write(image, path, options);
        return path;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString() ?? "<null>").ToArray();
}
