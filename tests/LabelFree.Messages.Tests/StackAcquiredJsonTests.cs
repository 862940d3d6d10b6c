using System.Text.Json;

namespace LabelFree.Messages.Tests;

public class StackAcquiredJsonTests
{
    public static TheoryData<string> OptionSets => new() { nameof(WireFormat.Web), nameof(WireFormat.MassTransitLike) };

    private static JsonSerializerOptions Options(string name) =>
        name == nameof(WireFormat.Web) ? WireFormat.Web : WireFormat.MassTransitLike;

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Every_field_survives_a_json_round_trip(string optionSet)
    {
        var original = SampleMessages.Acquired();

        var (copy, first, second) = WireFormat.RoundTrip(original, Options(optionSet));

        Assert.Equal(first, second);
        Assert.Equal("well-B4_t003", copy.StackId);
        Assert.Equal("plate-2024-05-01", copy.BatchId);
        Assert.Equal(original.Input, copy.Input);
        Assert.Equal(Modality.Dic, copy.Modality);
        Assert.Equal(new ChannelSelector { Name = "DIC" }, copy.TransmittedLightChannel);
        Assert.Equal(new VoxelSizeMicrometres { Z = 0.29, Y = 0.108, X = 0.108 }, copy.VoxelSizeOverride);
        Assert.Equal(["dna", "membrane"], copy.Structures!);
        Assert.Equal(2, copy.GroundTruthChannels!["dna"].Index);
        Assert.Equal("CellMask", copy.GroundTruthChannels["membrane"].Name);
        Assert.Equal(original.ReferenceImage, copy.ReferenceImage);
        Assert.Equal(0.1, copy.ReferencePixelSizeMicrometres);
        Assert.Equal("zeiss-1", copy.Metadata!["microscope"]);
        Assert.Equal("jd", copy.Metadata["operator"]);
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Names_are_camel_case_and_the_modality_is_a_string_on_the_wire(string optionSet)
    {
        var json = JsonSerializer.Serialize(SampleMessages.Acquired(), Options(optionSet));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("Dic", root.GetProperty("modality").GetString());
        Assert.Equal("inputs", root.GetProperty("input").GetProperty("container").GetString());
        Assert.Equal("DIC", root.GetProperty("transmittedLightChannel").GetProperty("name").GetString());
        Assert.Equal(0.29, root.GetProperty("voxelSizeOverride").GetProperty("z").GetDouble());
    }

    [Fact]
    public void A_plain_json_body_written_by_a_python_client_deserialises()
    {
        // What json.dumps(...) produces for a hand-written dict in a Python acquisition script.
        const string body = """
            {"stackId": "well-B4", "batchId": "plate-7", "input": {"container": "inputs", "name": "plate-7/well-B4.tif"},
             "modality": "BrightField", "transmittedLightChannel": {"index": 1},
             "voxelSizeOverride": {"z": 0.29, "y": 0.108, "x": 0.108},
             "structures": ["dna"], "groundTruthChannels": {"dna": {"index": 0}},
             "metadata": {"well": "B4", "plate": "7"}}
            """;

        foreach (var options in new[] { WireFormat.Web, WireFormat.MassTransitLike })
        {
            var message = JsonSerializer.Deserialize<StackAcquired>(body, options)!;

            Assert.Equal("well-B4", message.StackId);
            Assert.Equal("plate-7", message.BatchId);
            Assert.Equal(new BlobLocation { Container = "inputs", Name = "plate-7/well-B4.tif" }, message.Input);
            Assert.Equal(Modality.BrightField, message.Modality);
            Assert.Equal(1, message.TransmittedLightChannel.Index);
            Assert.Null(message.TransmittedLightChannel.Name);
            Assert.Equal(0.108, message.VoxelSizeOverride!.X);
            Assert.Equal(["dna"], message.Structures!);
            Assert.Equal(0, message.GroundTruthChannels!["dna"].Index);
            Assert.Equal("B4", message.Metadata!["well"]);
            Assert.Null(message.ReferenceImage);
            Assert.Null(message.ReferencePixelSizeMicrometres);
        }
    }

    [Theory]
    [InlineData("BrightField", Modality.BrightField)]
    [InlineData("brightField", Modality.BrightField)]
    [InlineData("DIC", Modality.Dic)]
    [InlineData("em", Modality.Em)]
    public void The_modality_name_is_read_case_insensitively(string written, Modality expected)
    {
        var body = $$$"""
            {"stackId": "s", "batchId": "b", "input": {"container": "inputs", "name": "s.tif"},
             "modality": "{{{written}}}", "transmittedLightChannel": {"index": 0}}
            """;

        var message = JsonSerializer.Deserialize<StackAcquired>(body, WireFormat.MassTransitLike)!;

        Assert.Equal(expected, message.Modality);
    }

    [Fact]
    public void A_minimal_body_leaves_every_optional_field_null()
    {
        const string body = """
            {"stackId": "s1", "batchId": "b1", "input": {"container": "inputs", "name": "s1.tif"},
             "modality": "Em", "transmittedLightChannel": {"index": 0}}
            """;

        var message = JsonSerializer.Deserialize<StackAcquired>(body, WireFormat.Web)!;

        Assert.Equal(Modality.Em, message.Modality);
        Assert.Null(message.VoxelSizeOverride);
        Assert.Null(message.Structures);
        Assert.Null(message.GroundTruthChannels);
        Assert.Null(message.ReferenceImage);
        Assert.Null(message.Metadata);
    }

    [Fact]
    public void A_body_without_a_required_field_is_refused_naming_the_field()
    {
        const string body = """
            {"batchId": "b1", "input": {"container": "inputs", "name": "s1.tif"},
             "modality": "Em", "transmittedLightChannel": {"index": 0}}
            """;

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StackAcquired>(body, WireFormat.Web));

        Assert.Contains("stackId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_modality_is_refused()
    {
        const string body = """
            {"stackId": "s1", "batchId": "b1", "input": {"container": "inputs", "name": "s1.tif"},
             "modality": "Confocal", "transmittedLightChannel": {"index": 0}}
            """;

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StackAcquired>(body, WireFormat.MassTransitLike));
    }
}
