using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>How axes, plane order and calibration are taken from ImageJ descriptions, OME-XML and resolution tags.</summary>
public sealed class TiffMetadataTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-metadata");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_ImageJ_stack_stored_contiguously_behind_one_directory_reads_every_plane()
    {
        var planes = Enumerable.Range(0, 3 * 16).Select(i => (byte)i).ToArray();
        var bytes = new CraftedTiff().AddPage(4, 4, planes).Long(279, 16).Text(270, "ImageJ=1.53t\nimages=3\nslices=3\n").ToBytes();

        var (image, info) = HyperstackFile.ReadWithInfo(Save("contiguous.tif", bytes));

        Assert.Equal(TiffFlavor.ImageJ, info.Flavor);
        Assert.Equal(1, info.PageCount);
        Assert.Equal(new HyperstackShape(1, 1, 3, 4, 4), image.Shape);
        Assert.Equal(planes.Select(v => (float)v), image[0, 0].Voxels);
    }

    [Theory]
    [InlineData("micron", 10u, 1u, "0.5", 0.1, 0.5)]
    [InlineData("nm", 1u, 100u, "250", 0.1, 0.25)]
    [InlineData(@"\u00B5m", 5u, 1u, "2", 0.2, 2.0)]
    public void ImageJ_calibration_converts_units_to_micrometres(string unit, uint numerator, uint denominator, string spacing, double pixel, double zStep)
    {
        var bytes = new CraftedTiff()
            .AddPage(4, 4, new byte[16]).Text(270, $"ImageJ=1.53t\nimages=2\nslices=2\nunit={unit}\nspacing={spacing}\n")
            .Rational(282, numerator, denominator).Rational(283, numerator, denominator).Short(296, 1)
            .AddPage(4, 4, new byte[16]).ToBytes();

        var (image, info) = HyperstackFile.ReadWithInfo(Save("calibrated.tif", bytes));

        var size = Assert.IsType<VoxelSize>(image.VoxelSize);
        Assert.Equal(pixel, size.X, 12);
        Assert.Equal(pixel, size.Y, 12);
        Assert.Equal(zStep, size.Z, 12);
        Assert.True(info.ZSpacingRecorded);
    }

    [Fact]
    public void Plain_TIFF_takes_pixel_size_from_centimetre_resolution_but_not_from_screen_dpi()
    {
        var metric = new CraftedTiff().AddPage(4, 4, new byte[16]).Rational(282, 50_000, 1).Rational(283, 50_000, 1).Short(296, 3).ToBytes();
        var inches = new CraftedTiff().AddPage(4, 4, new byte[16]).Rational(282, 72, 1).Rational(283, 72, 1).Short(296, 2).ToBytes();

        var (image, info) = HyperstackFile.ReadWithInfo(Save("metric.tif", metric));

        Assert.Equal(new VoxelSize(0.2, 0.2, 0.2), image.VoxelSize);
        Assert.False(info.ZSpacingRecorded);
        Assert.Null(HyperstackFile.Read(Save("dpi.tif", inches)).VoxelSize);
    }

    [Fact]
    public void OME_TiffData_decides_which_page_holds_which_plane()
    {
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" UUID="urn:uuid:0f6d0ae2-8a4b-4a4e-9b3e-000000000001">
              <Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint8" SizeX="2" SizeY="2" SizeZ="2" SizeC="2" SizeT="1"
                  PhysicalSizeX="200" PhysicalSizeXUnit="nm" PhysicalSizeY="0.2" PhysicalSizeZ="0.001" PhysicalSizeZUnit="mm">
                <Channel ID="Channel:0:0" Name="bright" SamplesPerPixel="1"/><Channel ID="Channel:0:1" Name="dna" SamplesPerPixel="1"/>
                <TiffData IFD="3" FirstZ="0" FirstC="0" PlaneCount="1"/>
                <TiffData IFD="2" FirstZ="0" FirstC="1" PlaneCount="1"/>
                <TiffData IFD="0" FirstZ="1" FirstC="0" PlaneCount="2"/>
              </Pixels></Image>
            </OME>
            """;
        var crafted = new CraftedTiff().AddPage(2, 2, Filled(10)).Text(270, Xml);
        foreach (var value in new byte[] { 11, 12, 13 })
        {
            crafted.AddPage(2, 2, Filled(value));
        }

        var image = HyperstackFile.Read(Save("mapped.ome.tif", crafted.ToBytes()));

        // IFD 3 -> z0 c0, IFD 2 -> z0 c1, IFDs 0 and 1 -> z1 c0 and z1 c1 (C runs fastest in XYCZT).
        Assert.Equal([13f, 13, 13, 13, 10, 10, 10, 10], image[0, 0].Voxels);
        Assert.Equal([12f, 12, 12, 12, 11, 11, 11, 11], image[0, 1].Voxels);
        Assert.Equal(["bright", "dna"], image.ChannelNames);
        Assert.Equal(new VoxelSize(1, 0.2, 0.2), image.VoxelSize);
    }

    [Fact]
    public void Thumbnail_pages_are_not_planes_of_a_plain_stack()
    {
        var bytes = new CraftedTiff().AddPage(8, 8, Enumerable.Repeat((byte)5, 64).ToArray())
            .AddPage(4, 4, new byte[16]).Long(254, 1).ToBytes();

        var image = HyperstackFile.Read(Save("thumbnail.tif", bytes));

        Assert.Equal(new HyperstackShape(1, 1, 1, 8, 8), image.Shape);
        Assert.All(image[0, 0].Voxels, v => Assert.Equal(5f, v));
    }

    private static byte[] Filled(byte value) => [value, value, value, value];

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
