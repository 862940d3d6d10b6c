using System.Text;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Imaging.TiffFormat;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Bad input is refused with an ImageFileException that names the file and the reason, before anything large is
/// allocated, and never as an IndexOutOfRangeException or a message on stderr.
/// </summary>
public sealed class BadImageFileTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-bad-input");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("plain text, not an image\n")]
    [InlineData("\u0089PNG\r\n\u001a\n\0\0\0\rIHDR")]
    [InlineData("II\u0063\0\u0008\0\0\0")]
    public void A_file_that_is_not_a_TIFF_is_refused(string content)
    {
        var path = Save("not-a-tiff.tif", Encoding.Latin1.GetBytes(content));

        AssertProblem(ImageProblem.NotATiff, path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_cut_in_half_is_truncated(bool compress)
    {
        var whole = WriteOme(SampleHyperstacks.Random(1, 1, 4, 32, 32), "whole.ome.tiff", new OmeTiffWriteOptions { Compress = compress });
        var bytes = File.ReadAllBytes(whole);
        var path = Save("half.ome.tiff", bytes[..(bytes.Length / 2)]);

        AssertProblem(ImageProblem.Truncated, path);
        Assert.Equal(ImageProblem.Truncated, Assert.Throws<ImageFileException>(() => HyperstackFile.Inspect(path)).Problem);
    }

    [Fact]
    public void Strip_data_beyond_the_end_of_the_file_is_truncated()
    {
        var path = Save("strip-beyond.tif", new CraftedTiff().AddPage(8, 8, new byte[64]).Long(273, 1_000_000).ToBytes());

        AssertProblem(ImageProblem.Truncated, path, "beyond the end");
    }

    [Theory]
    [InlineData("header points into itself")]
    [InlineData("directory with no entries")]
    [InlineData("directory chain loops")]
    [InlineData("absurd entry count")]
    public void A_corrupt_directory_offset_is_refused(string corruption)
    {
        var bytes = new CraftedTiff().AddPage(8, 8, new byte[64]).ToBytes();
        var directory = BitConverter.ToInt32(bytes, 4);
        var entries = BitConverter.ToUInt16(bytes, directory);
        switch (corruption)
        {
            case "header points into itself":
                BitConverter.GetBytes(4).CopyTo(bytes, 4);
                break;
            case "directory with no entries":
                BitConverter.GetBytes(8).CopyTo(bytes, 4); // the zero pixel data starts at byte 8
                break;
            case "directory chain loops":
                BitConverter.GetBytes(directory).CopyTo(bytes, directory + 2 + (entries * 12));
                break;
            default:
                BitConverter.GetBytes((ushort)60000).CopyTo(bytes, directory);
                break;
        }

        AssertProblem(ImageProblem.Corrupt, Save("corrupt-ifd.tif", bytes));
    }

    [Fact]
    public void Undecodable_compressed_data_is_corrupt_and_LibTiff_explains_why_in_the_exception()
    {
        var path = WriteOme(SampleHyperstacks.Random(1, 1, 2, 16, 16), "deflated.ome.tiff", new OmeTiffWriteOptions { Compress = true });
        var bytes = File.ReadAllBytes(path);
        using (var stream = new MemoryStream(bytes))
        {
            var structure = TiffStructureReader.Read(stream, path);
            var stripOffset = TiffPageParser.Parse(structure.Directories[0], path).ChunkOffsets[0];
            bytes[stripOffset] = 0xFF; // breaks the zlib header
            bytes[stripOffset + 1] = 0xFF;
        }

        File.WriteAllBytes(path, bytes);
        var standardError = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var error = AssertProblem(ImageProblem.Corrupt, path, "LibTiff: ");
            Assert.DoesNotContain("no detail from LibTiff", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(standardError);
        }

        Assert.Equal(string.Empty, captured.ToString());
    }

    [Fact]
    public void Complex_samples_are_an_unsupported_format()
    {
        var path = Save("complex.tif", new CraftedTiff().AddPage(4, 4, new byte[128], bitsPerSample: 64, sampleFormat: 6).ToBytes());

        AssertProblem(ImageProblem.UnsupportedFormat, path, "complex");
    }

    [Fact]
    public void RGB_needs_a_chosen_sample_and_then_reads_that_sample()
    {
        var pixels = Enumerable.Range(0, 6 * 5).SelectMany(i => new[] { (byte)i, (byte)(100 + i), (byte)(200 - i) }).ToArray();
        var bytes = new CraftedTiff().AddPage(6, 5, pixels).Short(258, 8, 8, 8).Short(262, 2).Short(277, 3).ToBytes();
        var path = Save("rgb.tif", bytes);

        AssertProblem(ImageProblem.UnsupportedFormat, path, "ImageReadOptions.Sample");
        var blue = HyperstackFile.Read(path, new ImageReadOptions { Sample = 2 });
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (float)(200 - i)), blue[0, 0].Voxels);
        Assert.Equal(ImageProblem.ChannelOutOfRange,
            Assert.Throws<ImageFileException>(() => HyperstackFile.Read(path, new ImageReadOptions { Sample = 3 })).Problem);
    }

    [Fact]
    public void A_page_of_width_zero_is_an_empty_dimension()
    {
        var path = Save("zero-width.tif", new CraftedTiff().AddPage(0, 8, new byte[8]).ToBytes());

        AssertProblem(ImageProblem.EmptyDimension, path, "ImageWidth is 0");
    }

    [Fact]
    public void OME_SizeZ_zero_is_an_empty_dimension()
    {
        var path = WriteOme(SampleHyperstacks.Random(1, 1, 1, 8, 8), "sizez.ome.tiff", OmeTiffWriteOptions.Default);
        PatchAscii(path, "SizeZ=\"1\"", "SizeZ=\"0\"");

        AssertProblem(ImageProblem.EmptyDimension, path, "SizeZ=0");
    }

    [Fact]
    public void A_header_claiming_ten_billion_pixels_is_too_large_without_allocating_them()
    {
        var path = Save("huge.tif", new CraftedTiff().AddPage(100_000, 100_000, new byte[16]).ToBytes());

        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertProblem(ImageProblem.TooLarge, path, "over the limit");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 4_000_000, $"Refusing the file allocated {allocated} bytes.");
    }

    [Fact]
    public void Tile_padding_counts_against_the_voxel_cap_before_anything_is_allocated()
    {
        // Four 1x1 float32 planes, each declaring one Deflate tile of 23168 x 23168: 4 voxels of image, but decoding
        // would hold a 2 GiB tile per page. The worker's default cap (2^30 voxels) must see the padding.
        var tiff = new CraftedTiff();
        for (var page = 0; page < 4; page++)
        {
            tiff.AddPage(1, 1, new byte[16], bitsPerSample: 32, sampleFormat: 3).Short(259, 8).Long(322, 23168).Long(323, 23168);
        }

        var path = Save("padded-tiles.tif", tiff.ToBytes());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageFileException>(() => HyperstackFile.Read(path, new ImageReadOptions { MaxVoxels = 1L << 30 }));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageProblem.TooLarge, error.Problem);
        Assert.Contains("23168x23168 tiles", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64_000_000, $"Refusing the file allocated {allocated} bytes.");
    }

    [Fact]
    public void A_billion_laughs_OME_description_is_refused_as_corrupt_without_expanding_it()
    {
        var entities = string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var description = "<?xml version=\"1.0\"?><!DOCTYPE OME [<!ENTITY lol0 \"lol\">" + entities + "]>"
            + "<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\"><Pixels SizeX=\"4\" SizeY=\"4\" SizeZ=\"1\" SizeC=\"1\" SizeT=\"1\" "
            + "DimensionOrder=\"XYZCT\" Type=\"uint8\"><Channel Name=\"&lol9;\"/></Pixels></Image></OME>";
        var path = Save("laughs.ome.tif", new CraftedTiff().AddPage(4, 4, new byte[16]).Text(270, description).ToBytes());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = AssertProblem(ImageProblem.Corrupt, path, "DTD");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("not well-formed", error.Reason, StringComparison.Ordinal);
        Assert.True(allocated < 4_000_000, $"Refusing the description allocated {allocated} bytes: its entities were expanded.");
    }

    [Fact]
    public void ImageJ_counts_whose_product_wraps_around_to_the_page_count_are_a_metadata_mismatch()
    {
        // 2147483645 x 2147483633 x 1908874356 is 100 modulo 2^64: unchecked, it matched the 100 pages.
        var tiff = new CraftedTiff().AddPage(4, 4, new byte[16])
            .Text(270, "ImageJ=1.53t\nimages=100\nchannels=2147483645\nslices=2147483633\nframes=1908874356\n");
        for (var page = 1; page < 100; page++)
        {
            tiff.AddPage(4, 4, new byte[16]);
        }

        AssertProblem(ImageProblem.MetadataMismatch, Save("imagej-wrap.tif", tiff.ToBytes()), "channels x slices x frames = 2147483645x2147483633x1908874356");
    }

    [Fact]
    public void A_sample_scaling_that_makes_values_infinite_is_refused_as_non_finite()
    {
        var path = WriteOme(SampleHyperstacks.Random(1, 1, 2, 4, 5), "overscaled.ome.tiff",
            new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16, UInt16Scaling = new SampleScaling(0, 0.25) });
        PatchAscii(path, "K=\"scale\">0.25<", "K=\"scale\">1e99<");

        AssertProblem(ImageProblem.NonFiniteValues, path, "sample scaling of channel 0");
    }

    [Fact]
    public void A_stack_over_the_configured_voxel_cap_is_too_large()
    {
        var path = WriteOme(SampleHyperstacks.Random(2, 2, 3, 8, 8), "capped.ome.tiff", OmeTiffWriteOptions.Default);

        var error = Assert.Throws<ImageFileException>(() => HyperstackFile.Read(path, new ImageReadOptions { MaxVoxels = 700 }));

        Assert.Equal(ImageProblem.TooLarge, error.Problem);
        Assert.Contains("768 voxels, over the limit of 700", error.Message, StringComparison.Ordinal);
        Assert.Equal(768, HyperstackFile.Read(path, new ImageReadOptions { MaxVoxels = 768 }).Shape.VoxelCount);
    }

    [Theory]
    [InlineData("SizeX=\"16\"", "SizeX=\"17\"", "17x12 pixels but page 0 is 16x12")]
    [InlineData("SizeZ=\"3\"", "SizeZ=\"9\"", "27 planes but the file has 9 pages")]
    [InlineData("Type=\"float\"", "Type=\"int16\"", "holds Float32 samples")]
    [InlineData("PlaneCount=\"9\"", "PlaneCount=\"5\"", "maps no IFD to plane")]
    public void OME_XML_that_contradicts_the_pages_is_a_metadata_mismatch(string original, string contradiction, string reason)
    {
        var path = WriteOme(SampleHyperstacks.Random(1, 3, 3, 12, 16), "mismatch.ome.tiff", OmeTiffWriteOptions.Default);
        PatchAscii(path, original, contradiction);

        AssertProblem(ImageProblem.MetadataMismatch, path, reason);
    }

    [Theory]
    [InlineData("ImageJ=1.53t\nimages=5\nslices=5\n", "images=5 but the file has 2 pages")]
    [InlineData("ImageJ=1.53t\nimages=2\nchannels=3\nslices=1\n", "channels x slices x frames = 3x1x1")]
    public void ImageJ_counts_that_contradict_the_pages_are_a_metadata_mismatch(string description, string reason)
    {
        var bytes = new CraftedTiff().AddPage(4, 4, new byte[16]).Text(270, description).AddPage(4, 4, new byte[16]).ToBytes();

        AssertProblem(ImageProblem.MetadataMismatch, Save("imagej-mismatch.tif", bytes), reason);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_voxels_are_refused_unless_allowed(float bad)
    {
        var image = SampleHyperstacks.Random(1, 1, 2, 4, 5);
        image[0, 0][1, 2, 3] = bad;
        var path = WriteOme(image, "nan.ome.tiff", OmeTiffWriteOptions.Default);

        AssertProblem(ImageProblem.NonFiniteValues, path, "t=0 c=0 z=1 y=2 x=3");
        var allowed = HyperstackFile.Read(path, new ImageReadOptions { RejectNonFiniteValues = false });
        Assert.Equal(bad, allowed[0, 0][1, 2, 3]);
    }

    [Fact]
    public void Errors_from_a_stream_name_the_blob()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("<html>not found</html>"));

        var error = Assert.Throws<ImageFileException>(() => HyperstackFile.Read(stream, "blob://stacks/plate1/well2.tif"));

        Assert.Equal(ImageProblem.NotATiff, error.Problem);
        Assert.Equal("blob://stacks/plate1/well2.tif", error.Path);
        Assert.StartsWith("blob://stacks/plate1/well2.tif: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_damage_to_the_structure_only_ever_raises_ImageFileException(bool compress)
    {
        var path = WriteOme(SampleHyperstacks.Random(1, 2, 2, 12, 10), "fuzz.ome.tiff",
            new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16, Compress = compress });
        var original = File.ReadAllBytes(path);
        List<long> targets;
        using (var stream = new MemoryStream(original))
        {
            targets = [0, .. TiffStructureReader.Read(stream, path).Directories.Select(d => d.Offset)];
        }

        var random = new Random(2018);
        var outcomes = new Dictionary<string, int>();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var damaged = (byte[])original.Clone();
            for (var flips = random.Next(1, 5); flips > 0; flips--)
            {
                // Aim at the header and the directories, where damage changes structure rather than values.
                var position = targets[random.Next(targets.Count)] + random.Next(0, 160);
                damaged[Math.Min(position, damaged.Length - 1)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(damaged.Length) : damaged.Length;
            using var stream = new MemoryStream(damaged, 0, length);
            try
            {
                HyperstackFile.Read(stream, "damaged.tif");
                outcomes["read"] = outcomes.GetValueOrDefault("read") + 1;
            }
            catch (ImageFileException error)
            {
                Assert.Equal("damaged.tif", error.Path);
                outcomes[error.Problem.ToString()] = outcomes.GetValueOrDefault(error.Problem.ToString()) + 1;
            }
        }

        // The damage must actually exercise the checks, not just values.
        Assert.True(outcomes.Keys.Count(k => k != "read") >= 3, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteOme(Hyperstack image, string name, OmeTiffWriteOptions options)
    {
        var path = Path.Combine(_folder, name);
        OmeTiffWriter.Write(image, path, options);
        return path;
    }

    /// <summary>Replaces an ASCII snippet of the file with one of the same length, keeping every offset valid.</summary>
    private static void PatchAscii(string path, string original, string replacement)
    {
        Assert.Equal(original.Length, replacement.Length);
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(original));
        Assert.True(at >= 0, $"{original} not found in {path}.");
        Encoding.ASCII.GetBytes(replacement).CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);
    }

    private static ImageFileException AssertProblem(ImageProblem expected, string path, string? reason = null)
    {
        var error = Assert.Throws<ImageFileException>(() => HyperstackFile.Read(path));
        Assert.True(expected == error.Problem, $"Expected {expected}, got {error.Problem}: {error.Message}");
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        if (reason is not null)
        {
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        return error;
    }
}
