using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>What OmeTiffWriter writes, HyperstackFile reads back: voxels, calibration, names, storage choices.</summary>
public sealed class OmeTiffRoundTripTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-roundtrip");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Float32_hyperstack_reads_back_bit_identical_with_its_metadata()
    {
        var image = SampleHyperstacks.Random(2, 3, 4, 20, 30, voxelSize: new VoxelSize(0.29, 0.108, 0.107),
            channelNames: ["bright field", "DNA", "µ-tubulin"], frameIntervalSeconds: 5.5);
        var path = Path.Combine(_folder, "stack.ome.tiff");

        OmeTiffWriter.Write(image, path);
        var (read, info) = HyperstackFile.ReadWithInfo(path);

        SampleHyperstacks.AssertIdentical(image, read);
        Assert.Equal(image.VoxelSize, read.VoxelSize);
        Assert.Equal(image.ChannelNames, read.ChannelNames);
        Assert.Equal(5.5, read.FrameIntervalSeconds);
        Assert.Equal(TiffFlavor.OmeTiff, info.Flavor);
        Assert.Equal(PixelSampleType.Float32, info.SampleType);
        Assert.Equal(TiffCompression.None, info.Compression);
        Assert.Equal(24, info.PageCount);
        Assert.False(info.IsBigTiff);
        Assert.True(info.ZSpacingRecorded);
    }

    [Fact]
    public void UInt16_fitted_per_channel_reads_back_within_half_a_step()
    {
        var image = SampleHyperstacks.Random(2, 2, 3, 16, 24);
        var path = Path.Combine(_folder, "fitted.ome.tiff");

        OmeTiffWriter.Write(image, path, new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16 });
        var (read, info) = HyperstackFile.ReadWithInfo(path);

        Assert.Equal(PixelSampleType.UInt16, info.SampleType);
        for (var c = 0; c < image.Channels; c++)
        {
            var values = Enumerable.Range(0, image.Frames).SelectMany(t => image[t, c].Voxels).ToArray();
            var scaling = Assert.IsType<SampleScaling>(info.ChannelScaling[c]);
            Assert.Equal(values.Min(), scaling.Offset, 6);
            Assert.Equal((values.Max() - values.Min()) / 65535.0, scaling.Scale, 9);
            for (var t = 0; t < image.Frames; t++)
            {
                var expected = image[t, c].Voxels;
                var actual = read[t, c].Voxels;
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= (scaling.Scale / 2) + 1e-5,
                        $"c={c} t={t} voxel {i}: wrote {expected[i]}, read {actual[i]}, step {scaling.Scale}");
                }
            }
        }
    }

    [Fact]
    public void UInt16_with_an_explicit_scaling_clamps_outside_its_range()
    {
        var volume = new Volume(new VolumeShape(1, 1, 4), [-5f, 0f, 0.5f, 100f]);
        var path = Path.Combine(_folder, "explicit.ome.tiff");
        var scaling = new SampleScaling(Offset: 0, Scale: 0.001);

        OmeTiffWriter.Write(Hyperstack.FromVolume(volume), path,
            new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16, UInt16Scaling = scaling });
        var (read, info) = HyperstackFile.ReadWithInfo(path);

        Assert.Equal(scaling, info.ChannelScaling[0]);
        Assert.Equal([0f, 0f, 0.5f, 65.535f], read[0, 0].Voxels, new ToleranceComparer(1e-6f));
    }

    [Theory]
    [InlineData(OmeTiffSampleType.Float32)]
    [InlineData(OmeTiffSampleType.UInt16)]
    public void Deflate_with_row_strips_reads_back_and_shrinks_smooth_data(OmeTiffSampleType sampleType)
    {
        var volume = new Volume(new VolumeShape(3, 64, 80));
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 64; y++)
            {
                for (var x = 0; x < 80; x++)
                {
                    volume[z, y, x] = (z * 1000) + (y * 10) + x;
                }
            }
        }

        var image = Hyperstack.FromVolume(volume);
        var scaling = new SampleScaling(0, 1);
        var plain = Path.Combine(_folder, "plain.ome.tiff");
        var packed = Path.Combine(_folder, "packed.ome.tiff");
        OmeTiffWriter.Write(image, plain, new OmeTiffWriteOptions { SampleType = sampleType, UInt16Scaling = scaling });
        OmeTiffWriter.Write(image, packed, new OmeTiffWriteOptions { SampleType = sampleType, UInt16Scaling = scaling, Compress = true, RowsPerStrip = 7 });

        var (read, info) = HyperstackFile.ReadWithInfo(packed);

        SampleHyperstacks.AssertIdentical(image, read);
        Assert.Equal(TiffCompression.Deflate, info.Compression);
        Assert.True(new FileInfo(packed).Length < new FileInfo(plain).Length / 2,
            $"Deflate wrote {new FileInfo(packed).Length} bytes, uncompressed {new FileInfo(plain).Length}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Files_over_the_BigTIFF_threshold_are_written_as_BigTIFF(bool compress)
    {
        var image = SampleHyperstacks.Random(1, 2, 3, 10, 12);
        var classic = Path.Combine(_folder, "classic.ome.tiff");
        var big = Path.Combine(_folder, "big.ome.tiff");

        OmeTiffWriter.Write(image, classic, new OmeTiffWriteOptions { Compress = compress });
        OmeTiffWriter.Write(image, big, new OmeTiffWriteOptions { Compress = compress, BigTiffThresholdBytes = 1000 });

        Assert.False(HyperstackFile.Inspect(classic).IsBigTiff);
        var (read, info) = HyperstackFile.ReadWithInfo(big);
        Assert.True(info.IsBigTiff);
        SampleHyperstacks.AssertIdentical(image, read);
    }

    [Fact]
    public void Streams_are_written_and_read_like_files()
    {
        var image = SampleHyperstacks.Random(1, 1, 2, 9, 13, channelNames: ["membrane"]);
        using var memory = new MemoryStream();
        OmeTiffWriter.Write(image, memory);

        // A download stream cannot seek; both directions must still work.
        using var download = new ForwardOnlyStream(memory.ToArray());
        var read = HyperstackFile.Read(download, "blob://stacks/one.ome.tiff");
        using var upload = new ForwardOnlyStream([]);
        OmeTiffWriter.Write(image, upload);

        SampleHyperstacks.AssertIdentical(image, read);
        Assert.Equal(["membrane"], read.ChannelNames);
        Assert.Equal(memory.Length, upload.Written.Length);
        SampleHyperstacks.AssertIdentical(image, HyperstackFile.Read(new MemoryStream(upload.Written), "uploaded"));
    }

    [Fact]
    public void Writing_replaces_the_target_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_folder, "out", "prediction.ome.tiff");
        OmeTiffWriter.Write(SampleHyperstacks.Random(1, 1, 1, 5, 5, seed: 1), path);
        var second = SampleHyperstacks.Random(1, 1, 2, 6, 7, seed: 2);

        OmeTiffWriter.Write(second, path);

        SampleHyperstacks.AssertIdentical(second, HyperstackFile.Read(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_failed_write_leaves_neither_target_nor_temporary_file()
    {
        var volume = new Volume(new VolumeShape(1, 2, 2), [1f, float.NaN, 2f, 3f]);
        var path = Path.Combine(_folder, "failed.ome.tiff");

        Assert.Throws<ArgumentException>(() => OmeTiffWriter.Write(Hyperstack.FromVolume(volume), path,
            new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16 }));

        Assert.Empty(Directory.GetFiles(_folder));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
