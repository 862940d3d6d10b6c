using System.Text;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.Imaging;
using LabelFree.Worker.Tests.EndToEnd;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>
/// Inputs that used to crash the worker with an untyped exception (issue 11 items 4 and 5). Each crash counted
/// against the kill switch, so ten of them among ten good stacks stopped consuming for a minute and left the
/// bad messages in stack-acquired_error. Each must now be rejected with its reason while the good stacks go on.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class BadInputAmongGoodStacksTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    private const string EmStructure = "mbp";
    private const double EmPixelMicrometres = 0.05;

    // Generous for 20 small stacks on a shared 2-core machine; a tripped kill switch never delivers the rejections.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public async Task Ten_hostile_stacks_among_ten_good_ones_are_each_rejected_with_a_typed_reason_and_nothing_reaches_the_error_queue()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await AddEmModelAsync(bed);
        await bed.StartWorkerAsync();
        var good = await bed.UploadInputAsync("good.ome.tiff", TestStacks.OmeTiff());
        var emPixel = new VoxelSize(EmPixelMicrometres, EmPixelMicrometres, EmPixelMicrometres);
        var em = await bed.UploadInputAsync("em.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(TestStacks.Image(depth: 1, height: 64, width: 64)[0, 0], emPixel, "em")));
        var reference = await bed.UploadInputAsync("if.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(TestStacks.Image(depth: 1, height: 64, width: 64, seed: 2)[0, 0], emPixel, "MBP")));

        var cases = new (StackAcquired Message, RejectionReason Reason)[]
        {
            // Structures are matched ignoring case: two keys for one structure.
            (bed.Stack("truth-twice", good) with
            {
                GroundTruthChannels = new Dictionary<string, ChannelSelector> { ["dna"] = new() { Index = 1 }, ["DNA"] = new() { Index = 1 } },
            }, RejectionReason.InvalidMessage),
            (bed.Stack("metadata-entries", good) with
            {
                Metadata = Enumerable.Range(0, 65).ToDictionary(i => $"key{i}", i => "value"),
            }, RejectionReason.InvalidMessage),
            (bed.Stack("metadata-value", good) with
            {
                Metadata = new Dictionary<string, string> { ["note"] = new string('x', 5000) },
            }, RejectionReason.InvalidMessage),
            (bed.Stack("overscaled", await bed.UploadInputAsync("overscaled.ome.tiff", Overscaled())), RejectionReason.NonFiniteValues),
            (bed.Stack("imagej-wrap", await bed.UploadInputAsync("imagej-wrap.tif", ImageJCountsThatWrap())), RejectionReason.MetadataMismatch),
            (bed.Stack("padded-tiles", await bed.UploadInputAsync("padded-tiles.tif", PaddedTiles())), RejectionReason.TooLarge),
            (bed.Stack("billion-laughs", await bed.UploadInputAsync("laughs.ome.tif", BillionLaughs())), RejectionReason.CorruptImage),

            // 1 mm voxels resample to 0.29 µm as 55172 x 110345 x 110345 voxels; 1 pm voxels to none.
            (bed.Stack("voxels-huge", good) with { VoxelSizeOverride = new VoxelSizeMicrometres { Z = 1000, Y = 1000, X = 1000 } }, RejectionReason.TooLarge),
            (bed.Stack("voxels-tiny", good) with { VoxelSizeOverride = new VoxelSizeMicrometres { Z = 1e-6, Y = 1e-6, X = 1e-6 } }, RejectionReason.EmptyDimension),

            // A 64 x 64 EM image against a reference of 1 pm pixels: 3.2 million pixels a side, refused by the registration.
            (bed.Stack("em-reference-pixel", em) with { Modality = Modality.Em, ReferenceImage = reference, ReferencePixelSizeMicrometres = 1e-6 },
                RejectionReason.MetadataMismatch),
        };

        for (var i = 0; i < cases.Length; i++)
        {
            await bed.PublishAsync(cases[i].Message);
            await bed.PublishAsync(bed.Stack($"good-{i}", good));
        }

        var stacks = cases.Select(c => c.Message.StackId).Concat(Enumerable.Range(0, cases.Length).Select(i => $"good-{i}")).ToHashSet();
        var events = await bed.Events.WaitForAsync(e => stacks.Contains(e.StackId), stacks.Count, Patience);

        foreach (var (message, reason) in cases)
        {
            var rejected = events.Single(e => e.StackId == message.StackId).Rejected;
            Assert.True(rejected is not null, $"{message.StackId}: expected StackRejected");
            Assert.True(reason == rejected.Reason, $"{message.StackId}: expected {reason}, got {rejected.Reason} ({rejected.Message})");
            Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
        }

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.True(events.Single(e => e.StackId == $"good-{i}").Predicted is not null, $"good-{i} was not predicted");
        }

        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    private static async Task AddEmModelAsync(WorkerTestBed bed)
    {
        var folder = TinyModels.Save2D(bed.ModelFolder, EmStructure, seed: 21, EmPixelMicrometres);
        foreach (var file in Directory.GetFiles(folder))
        {
            await bed.OutputBlob($"models/{EmStructure}/v1/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true);
        }

        var index = WorkerTestBed.Structures.Length;
        bed.Settings[$"LabelFree:Models:{index}:Structure"] = EmStructure;
        bed.Settings[$"LabelFree:Models:{index}:Modality"] = "Em";
        bed.Settings[$"LabelFree:Models:{index}:Location:Prefix"] = $"models/{EmStructure}/v1/";
    }

    // The good stack stored as uint16 with a scaling whose scale is then made 1e99: finite, but every stored value
    // above 0 unscales beyond float's range.
    private static byte[] Overscaled()
    {
        using var buffer = new MemoryStream();
        OmeTiffWriter.Write(TestStacks.Image(), buffer, new OmeTiffWriteOptions { SampleType = OmeTiffSampleType.UInt16, UInt16Scaling = new SampleScaling(0, 0.25) });
        return ReplaceAscii(buffer.ToArray(), "K=\"scale\">0.25<", "K=\"scale\">1e99<");
    }

    // 2147483645 x 2147483633 x 1908874356 wraps to 100 modulo 2^64: unchecked, it matched the 100 pages.
    private static byte[] ImageJCountsThatWrap()
    {
        var tiff = new CraftedTiff().AddPage(4, 4, new byte[16])
            .Text(270, "ImageJ=1.53t\nimages=100\nchannels=2147483645\nslices=2147483633\nframes=1908874356\n");
        for (var page = 1; page < 100; page++)
        {
            tiff.AddPage(4, 4, new byte[16]);
        }

        return tiff.ToBytes();
    }

    // One 1x1 float32 pixel in a Deflate tile of 23168 x 23168: a 2 GiB tile buffer for 4 bytes of image.
    private static byte[] PaddedTiles() =>
        new CraftedTiff().AddPage(1, 1, new byte[16], bitsPerSample: 32, sampleFormat: 3).Short(259, 8).Long(322, 23168).Long(323, 23168).ToBytes();

    private static byte[] BillionLaughs()
    {
        var entities = string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var description = "<?xml version=\"1.0\"?><!DOCTYPE OME [<!ENTITY lol0 \"lol\">" + entities + "]>"
            + "<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\"><Pixels SizeX=\"4\" SizeY=\"4\" SizeZ=\"1\" SizeC=\"1\" SizeT=\"1\" "
            + "DimensionOrder=\"XYZCT\" Type=\"uint8\"><Channel Name=\"&lol9;\"/></Pixels></Image></OME>";
        return new CraftedTiff().AddPage(4, 4, new byte[16]).Text(270, description).ToBytes();
    }

    private static byte[] ReplaceAscii(byte[] bytes, string original, string replacement)
    {
        var from = Encoding.ASCII.GetBytes(original);
        var to = Encoding.ASCII.GetBytes(replacement);
        var replaced = 0;
        for (var at = bytes.AsSpan().IndexOf(from); at >= 0; at = bytes.AsSpan().IndexOf(from))
        {
            to.CopyTo(bytes, at);
            replaced++;
        }

        Assert.True(replaced > 0, $"{original} not found");
        return bytes;
    }
}
