using LabelFree.Messages;
using LabelFree.Worker.Consumers;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>manifest.json: what a redelivered message is compared against.</summary>
public class StackManifestTests
{
    private static readonly ManifestModel[] Models = [new("dna", "dna/v3", new string('a', 64)), new("membrane", "membrane/v1", new string('b', 64))];

    private static readonly StackAcquired Message = new()
    {
        StackId = "s1",
        BatchId = "b1",
        Input = new BlobLocation { Container = "inputs", Name = "s1.tif" },
        Modality = Modality.BrightField,
        TransmittedLightChannel = new ChannelSelector { Name = "bright-field" },
        VoxelSizeOverride = new VoxelSizeMicrometres { Z = 0.29, Y = 0.108, X = 0.108 },
    };

    [Fact]
    public void A_manifest_reads_back_equal_and_matches_its_own_request()
    {
        var manifest = Manifest();

        var read = StackManifest.Parse(manifest.ToJsonBytes(), "manifest.json");

        Assert.Equal(manifest.Input, read.Input);
        Assert.Equal(manifest.Models, read.Models);
        Assert.Equal(manifest.Timings.InferenceSeconds, read.Timings.InferenceSeconds);
        Assert.Equal(manifest.CreatedAt, read.CreatedAt);
        Assert.True(read.Matches("f00d", Models, Message with { GroundTruthChannels = new Dictionary<string, ChannelSelector> { ["dna"] = new() { Index = 1 } } }));
    }

    [Fact]
    public void Other_input_bytes_models_channel_or_voxel_size_are_a_different_request()
    {
        var manifest = Manifest();
        ManifestModel[] retrained = [Models[0] with { WeightsSha256 = new string('c', 64) }, Models[1]];

        Assert.False(manifest.Matches("beef", Models, Message));
        Assert.False(manifest.Matches("f00d", retrained, Message));
        Assert.False(manifest.Matches("f00d", Models.Reverse().ToArray(), Message));
        Assert.False(manifest.Matches("f00d", Models, Message with { TransmittedLightChannel = new ChannelSelector { Index = 0 } }));
        Assert.False(manifest.Matches("f00d", Models, Message with { VoxelSizeOverride = null }));
        Assert.Contains("input SHA-256 f00d (now beef)", manifest.Difference("beef", Models, Message), StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_of_another_format_version_is_refused()
    {
        var future = Manifest() with { FormatVersion = 2 };

        var error = Assert.Throws<InvalidDataException>(() => StackManifest.Parse(future.ToJsonBytes(), "b1/s1/manifest.json"));
        Assert.Contains("b1/s1/manifest.json", error.Message, StringComparison.Ordinal);
    }

    private static StackManifest Manifest()
    {
        var shape = new ImageShape { T = 1, C = 2, Z = 16, Y = 32, X = 32 };
        return new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion,
            StackId = "s1",
            BatchId = "b1",
            Modality = Modality.BrightField,
            Input = new ManifestInput(Message.Input, "f00d", 1234, shape, Message.VoxelSizeOverride, 0, "bright-field"),
            RequestedTransmittedLightChannel = Message.TransmittedLightChannel,
            VoxelSizeOverride = Message.VoxelSizeOverride,
            Output = new ManifestOutput(new BlobLocation { Container = "labelfree", Name = "predictions/b1/s1/prediction.ome.tiff" }, "cafe", 999, shape),
            Models = Models,
            Channels = [],
            Timings = new StageTimings
            {
                DownloadSeconds = 0.1, DecodeSeconds = 0.2, PreprocessSeconds = 0.3, EncodeSeconds = 0.4, UploadSeconds = 0.5, TotalSeconds = 3,
                InferenceSeconds = new Dictionary<string, double> { ["dna"] = 1.0, ["membrane"] = 0.5 },
            },
            WorkerHost = "worker-1",
            CreatedAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        };
    }
}
