using System.Runtime.InteropServices;
using System.Text.Json;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Files written by tifffile (ImageJ hyperstacks, OME-TIFF in all six dimension orders, BigTIFF, tiles, zlib with
/// predictor, big-endian, every sample type, RGB) read back voxel for voxel what tifffile was given.
/// </summary>
public sealed class WeReadTifffileFilesTests(TifffileFixtures fixtures) : IClassFixture<TifffileFixtures>
{
    [SkippableTheory]
    [InlineData("imagej_tzcyx_float32")]
    [InlineData("imagej_zyx_uint16")]
    [InlineData("ome_tczyx_uint16")]
    [InlineData("ome_cztyx_uint16")]
    [InlineData("ome_ztcyx_uint16")]
    [InlineData("ome_tzcyx_uint16")]
    [InlineData("ome_ctzyx_uint16")]
    [InlineData("ome_zctyx_uint16")]
    [InlineData("ome_two_series")]
    [InlineData("bigtiff_zyx_float32")]
    [InlineData("tiled_zyx_uint16")]
    [InlineData("zlib_predictor_uint16")]
    [InlineData("zlib_zyx_float32")]
    [InlineData("bigendian_zyx_float32")]
    [InlineData("bigendian_zlib_predictor_uint16")]
    [InlineData("int8_zyx")]
    [InlineData("int16_zyx")]
    [InlineData("uint32_zyx")]
    [InlineData("int32_zyx")]
    [InlineData("float16_zyx")]
    [InlineData("float64_zyx")]
    [InlineData("rgb_contig_uint8")]
    [InlineData("rgb_planar_uint16")]
    public void Voxels_and_axes_match_what_tifffile_wrote(string name)
    {
        var fixture = fixtures.Fixture(name);
        var sample = fixture.GetProperty("sample").ValueKind == JsonValueKind.Number ? fixture.GetProperty("sample").GetInt32() : (int?)null;

        var (image, info) = HyperstackFile.ReadWithInfo(fixture.GetProperty("file").GetString()!, new ImageReadOptions { Sample = sample });

        var shape = fixture.GetProperty("shape_tczyx").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(new HyperstackShape(shape[0], shape[1], shape[2], shape[3], shape[4]), image.Shape);
        var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(fixture.GetProperty("expected").GetString()!)).ToArray();
        Assert.Equal(expected, SampleHyperstacks.Flatten(image));
        Assert.Equal(Enum.Parse<TiffFlavor>(fixture.GetProperty("flavor").GetString()!), info.Flavor);
        AssertOptionalFacts(fixture, image, info);
    }

    [SkippableFact]
    public void RGB_without_a_chosen_sample_is_refused()
    {
        var path = fixtures.Fixture("rgb_contig_uint8").GetProperty("file").GetString()!;

        var error = Assert.Throws<ImageFileException>(() => HyperstackFile.Read(path));

        Assert.Equal(ImageProblem.UnsupportedFormat, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static void AssertOptionalFacts(JsonElement fixture, Hyperstack image, HyperstackFileInfo info)
    {
        if (fixture.TryGetProperty("voxel_size_zyx", out var size))
        {
            var zyx = size.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var actual = Assert.IsType<VoxelSize>(image.VoxelSize);
            Assert.Equal(zyx[0], actual.Z, 9);
            Assert.Equal(zyx[1], actual.Y, 9);
            Assert.Equal(zyx[2], actual.X, 9);
            Assert.True(info.ZSpacingRecorded);
        }

        if (fixture.TryGetProperty("frame_interval", out var interval))
        {
            Assert.Equal(interval.GetDouble(), image.FrameIntervalSeconds);
        }

        if (fixture.TryGetProperty("channel_names", out var names))
        {
            Assert.Equal(names.EnumerateArray().Select(e => e.GetString()!), image.ChannelNames);
        }

        if (fixture.TryGetProperty("image_count", out var images))
        {
            Assert.Equal(images.GetInt32(), info.ImageCount);
        }

        Assert.Equal(fixture.TryGetProperty("bigtiff", out _), info.IsBigTiff);
        Assert.Equal(fixture.TryGetProperty("tiled", out _), info.IsTiled);
        Assert.Equal(fixture.TryGetProperty("big_endian", out _), info.IsBigEndian);
        if (fixture.TryGetProperty("compression", out var compression))
        {
            Assert.Equal((TiffCompression)compression.GetInt32(), info.Compression);
        }
    }
}
