using System.Text.Json;
using LabelFree.Messages;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>One event as a plain AMQP client sees it: MassTransit's envelope, the contract under "message".</summary>
internal sealed record ReceivedEvent(string MessageType, JsonElement Message)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public StackPredicted? Predicted => MessageType.EndsWith(":StackPredicted", StringComparison.Ordinal)
        ? Message.Deserialize<StackPredicted>(Json) : null;

    public StackRejected? Rejected => MessageType.EndsWith(":StackRejected", StringComparison.Ordinal)
        ? Message.Deserialize<StackRejected>(Json) : null;

    public EmRegistered? Registered => MessageType.EndsWith(":EmRegistered", StringComparison.Ordinal)
        ? Message.Deserialize<EmRegistered>(Json) : null;

    /// <summary>A Fault&lt;StackAcquired&gt;: the stack ended in the error queue.</summary>
    public bool IsFault => MessageType.Contains(":Fault[[", StringComparison.Ordinal);

    public string StackId => (IsFault ? Message.GetProperty("message") : Message).GetProperty("stackId").GetString()!;

    public static ReceivedEvent Parse(ReadOnlyMemory<byte> body)
    {
        using var envelope = JsonDocument.Parse(body);
        var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
        return new ReceivedEvent(type, envelope.RootElement.GetProperty("message").Clone());
    }

    public override string ToString() => $"{MessageType.Split(':')[^1]} {StackId}";
}
