using System.Text.Json;

namespace LabelFree.Messages.Tests;

public class EventJsonTests
{
    public static TheoryData<string> OptionSets => new() { nameof(WireFormat.Web), nameof(WireFormat.MassTransitLike) };

    private static JsonSerializerOptions Options(string name) =>
        name == nameof(WireFormat.Web) ? WireFormat.Web : WireFormat.MassTransitLike;

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void StackPredicted_survives_a_json_round_trip(string optionSet)
    {
        var original = SampleMessages.Predicted();

        var (copy, first, second) = WireFormat.RoundTrip(original, Options(optionSet));

        Assert.Equal(first, second);
        Assert.Equal(original.StackId, copy.StackId);
        Assert.Equal(original.BatchId, copy.BatchId);
        Assert.Equal(original.Output, copy.Output);
        Assert.Equal(original.Manifest, copy.Manifest);
        Assert.Equal(original.Channels, copy.Channels);
        Assert.Equal(0.87, copy.Channels[0].PearsonR);
        Assert.Null(copy.Channels[1].PearsonR);
        Assert.Equal(11.0, copy.Timings.InferenceSeconds["dna"]);
        Assert.Equal(10.75, copy.Timings.InferenceSeconds["membrane"]);
        Assert.Equal(original.Timings with { InferenceSeconds = copy.Timings.InferenceSeconds }, copy.Timings);
        Assert.Equal(original.InputShape, copy.InputShape);
        Assert.Equal(original.OutputShape, copy.OutputShape);
        Assert.Equal("worker-7c9f", copy.WorkerHost);
        Assert.True(copy.Reused);
        Assert.Equal(SampleMessages.Noon, copy.CompletedAt);
        Assert.Equal(SampleMessages.Noon.Offset, copy.CompletedAt.Offset);
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void StackRejected_survives_a_json_round_trip_with_the_reason_as_a_string(string optionSet)
    {
        var original = SampleMessages.Rejected();

        var (copy, first, second) = WireFormat.RoundTrip(original, Options(optionSet));

        Assert.Equal(first, second);
        Assert.Equal(original, copy);
        using var document = JsonDocument.Parse(first);
        Assert.Equal("ChannelOutOfRange", document.RootElement.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void EmRegistered_survives_a_json_round_trip(string optionSet)
    {
        var original = SampleMessages.Registered();

        var (copy, first, second) = WireFormat.RoundTrip(original, Options(optionSet));

        Assert.Equal(first, second);
        Assert.Equal(original with { Timings = copy.Timings }, copy);
        Assert.Equal(original.Timings.InferenceSeconds, copy.Timings.InferenceSeconds);
        using var document = JsonDocument.Parse(first);
        Assert.Equal("Registered", document.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(-33.25, document.RootElement.GetProperty("transform").GetProperty("m12").GetDouble());
    }

    [Fact]
    public void Every_rejection_reason_round_trips_by_name()
    {
        foreach (var reason in Enum.GetValues<RejectionReason>())
        {
            var rejected = SampleMessages.Rejected() with { Reason = reason };

            var json = JsonSerializer.Serialize(rejected, WireFormat.MassTransitLike);
            var copy = JsonSerializer.Deserialize<StackRejected>(json, WireFormat.MassTransitLike)!;

            using var document = JsonDocument.Parse(json);
            Assert.Equal(reason.ToString(), document.RootElement.GetProperty("reason").GetString());
            Assert.Equal(reason, copy.Reason);
        }
    }

    [Fact]
    public void A_python_consumer_reads_stack_predicted_fields_by_their_camel_case_names()
    {
        var json = JsonSerializer.Serialize(SampleMessages.Predicted(), WireFormat.MassTransitLike);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("predictions/plate-2024-05-01/well-B4_t003/prediction.ome.tiff",
            root.GetProperty("output").GetProperty("name").GetString());
        Assert.Equal("dna", root.GetProperty("channels")[0].GetProperty("structure").GetString());
        Assert.Equal(0.87, root.GetProperty("channels")[0].GetProperty("pearsonR").GetDouble());
        Assert.Equal(11.0, root.GetProperty("timings").GetProperty("inferenceSeconds").GetProperty("dna").GetDouble());
        Assert.Equal(368, root.GetProperty("outputShape").GetProperty("x").GetInt32());
        Assert.True(root.GetProperty("reused").GetBoolean());
        Assert.Equal("2024-05-01T12:30:15.25+02:00", root.GetProperty("completedAt").GetString());
    }
}
