using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Every TIFF of the real development set reads with the shape and type its README documents, and the voxels
/// sum, minimum and maximum exactly as tifffile reads them.
/// </summary>
public sealed class RealMicroscopeFileTests(RealMicroscopeFileTests.TifffileReference reference)
    : IClassFixture<RealMicroscopeFileTests.TifffileReference>
{
    private const string Allen = "allen_fnet_3d_transmitted_dna/";

    [SkippableTheory]
    [InlineData(Allen + "run_170622_174530_whole_cropped_light.tif", 32, 128, 128, PixelSampleType.Float32, TiffFlavor.OmeTiff, TiffCompression.LegacyDeflate)]
    [InlineData(Allen + "run_170622_174530_whole_cropped_nuc.tif", 32, 128, 128, PixelSampleType.Float32, TiffFlavor.OmeTiff, TiffCompression.LegacyDeflate)]
    [InlineData(Allen + "light_zyx_float32_uncompressed.tif", 32, 128, 128, PixelSampleType.Float32, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData(Allen + "nuc_zyx_float32_uncompressed.tif", 32, 128, 128, PixelSampleType.Float32, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("cohenlab_frm_2d_phase_dapi/dish1_xy1c1_phase.tif", 1, 512, 512, PixelSampleType.UInt16, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("cohenlab_frm_2d_phase_dapi/dish1_xy1c2_dapi.tif", 1, 512, 512, PixelSampleType.UInt16, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("cohenlab_frm_2d_phase_dapi/dic_input_0000.tif", 1, 256, 256, PixelSampleType.UInt16, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("sephace_bf_zstack_dapi/set1/brightfield_zyx_uint8.tif", 6, 1024, 1344, PixelSampleType.UInt8, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("sephace_bf_zstack_dapi/set1/dapi_yx_uint8.tif", 1, 1024, 1344, PixelSampleType.UInt8, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("isbi2012_em_sstem/train_zyx_uint8.tif", 30, 512, 512, PixelSampleType.UInt8, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("isbi2012_em_sstem/label_zyx_uint8.tif", 30, 512, 512, PixelSampleType.UInt8, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("isbi2012_em_sstem/test_zyx_uint8.tif", 30, 512, 512, PixelSampleType.UInt8, TiffFlavor.ImageJ, TiffCompression.None)]
    [InlineData("dsb2018_nuclei_2d/img2d.tif", 1, 512, 512, PixelSampleType.UInt16, TiffFlavor.Plain, TiffCompression.None)]
    [InlineData("dsb2018_nuclei_2d/mask2d.tif", 1, 512, 512, PixelSampleType.UInt16, TiffFlavor.Plain, TiffCompression.None)]
    public void Reads_with_the_documented_shape_and_the_values_tifffile_reads(
        string file, int depth, int height, int width, PixelSampleType type, TiffFlavor flavor, TiffCompression compression)
    {
        var path = RealData.File(file);

        var (image, info) = HyperstackFile.ReadWithInfo(path);

        Assert.Equal(new HyperstackShape(1, 1, depth, height, width), image.Shape);
        Assert.Equal(type, info.SampleType);
        Assert.Equal(flavor, info.Flavor);
        Assert.Equal(compression, info.Compression);
        var tifffile = reference.Of(file);
        var voxels = image[0, 0].Voxels;
        Assert.Equal(tifffile.GetProperty("min").GetDouble(), voxels.Min());
        Assert.Equal(tifffile.GetProperty("max").GetDouble(), voxels.Max());
        var sum = tifffile.GetProperty("sum").GetDouble();
        Assert.Equal(sum, SampleHyperstacks.Sum(image), Math.Abs(sum) * 1e-9);
        Assert.Equal(Doubles(tifffile.GetProperty("first_values")), voxels[..8].Select(v => (double)v));
    }

    [SkippableTheory]
    [InlineData("light")]
    [InlineData("nuc")]
    public void Allen_original_with_deflate_32946_equals_its_uncompressed_copy(string channel)
    {
        var original = HyperstackFile.Read(RealData.File($"{Allen}run_170622_174530_whole_cropped_{channel}.tif"));
        var copy = HyperstackFile.Read(RealData.File($"{Allen}{channel}_zyx_float32_uncompressed.tif"));

        SampleHyperstacks.AssertIdentical(copy, original);
    }

    [SkippableTheory]
    [InlineData("light", 0.200, 0.993, 0.524)]
    [InlineData("nuc", 0.167, 0.679, 0.362)]
    public void Allen_value_ranges_match_the_data_README(string channel, double min, double max, double mean)
    {
        var voxels = HyperstackFile.Read(RealData.File($"{Allen}run_170622_174530_whole_cropped_{channel}.tif"))[0, 0].Voxels;

        Assert.Equal(min, voxels.Min(), 0.001);
        Assert.Equal(max, voxels.Max(), 0.001);
        Assert.Equal(mean, voxels.Average(v => (double)v), 0.001);
    }

    [SkippableTheory]
    [InlineData("brightfield_zyx_uint8.tif", 54, 224)]
    [InlineData("dapi_yx_uint8.tif", 18, 255)]
    public void Sephace_pixel_size_comes_from_the_resolution_tags(string file, float min, float max)
    {
        var (image, info) = HyperstackFile.ReadWithInfo(RealData.File("sephace_bf_zstack_dapi/set1/" + file));

        var size = Assert.IsType<VoxelSize>(image.VoxelSize);
        Assert.Equal(0.2005, size.X, 4);
        Assert.Equal(0.2005, size.Y, 4);
        Assert.False(info.ZSpacingRecorded); // the planes are unevenly spaced; the file records no z-step
        Assert.Equal(min, image[0, 0].Voxels.Min());
        Assert.Equal(max, image[0, 0].Voxels.Max());
    }

    [SkippableFact]
    public void Allen_originals_record_no_physical_size()
    {
        var info = HyperstackFile.Inspect(RealData.File(Allen + "run_170622_174530_whole_cropped_light.tif"));

        Assert.Null(info.VoxelSize);
        Assert.Equal(32, info.PageCount);
        Assert.Equal(["C:0"], info.ChannelNames);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>tifffile's reading of every real TIFF, from one python run shared by the whole class.</summary>
    public sealed class TifffileReference
    {
        private static readonly string[] Files =
        [
            Allen + "run_170622_174530_whole_cropped_light.tif", Allen + "run_170622_174530_whole_cropped_nuc.tif",
            Allen + "light_zyx_float32_uncompressed.tif", Allen + "nuc_zyx_float32_uncompressed.tif",
            "cohenlab_frm_2d_phase_dapi/dish1_xy1c1_phase.tif", "cohenlab_frm_2d_phase_dapi/dish1_xy1c2_dapi.tif",
            "cohenlab_frm_2d_phase_dapi/dic_input_0000.tif", "sephace_bf_zstack_dapi/set1/brightfield_zyx_uint8.tif",
            "sephace_bf_zstack_dapi/set1/dapi_yx_uint8.tif", "isbi2012_em_sstem/train_zyx_uint8.tif",
            "isbi2012_em_sstem/label_zyx_uint8.tif", "isbi2012_em_sstem/test_zyx_uint8.tif",
            "dsb2018_nuclei_2d/img2d.tif", "dsb2018_nuclei_2d/mask2d.tif",
        ];

        private readonly Lazy<IReadOnlyDictionary<string, JsonElement>> _facts = new(() =>
        {
            var described = PythonTiff.Describe(Files.Select(RealData.File).ToArray());
            return Files.Zip(described).ToDictionary(pair => pair.First, pair => pair.Second);
        });

        public JsonElement Of(string file)
        {
            PythonTiff.RequireAvailable();
            return _facts.Value[file];
        }
    }
}
