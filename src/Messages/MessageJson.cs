using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LabelFree.Messages;

/// <summary>
/// The JSON of the contracts wherever LabelFree serialises them itself rather than through MassTransit: events
/// printed as JSON lines (`submit --wait`, the demo's events.jsonl) and the schemas in docs/schemas. System.Text.Json's
/// web defaults (camelCase, case-insensitive); the contracts' own attributes put enums on the wire as strings, so
/// this is the shape MassTransit's serializer gives the message bodies too.
/// </summary>
public static class MessageJson
{
    /// <summary>Shared by every caller: copy it (new JsonSerializerOptions(Options)) to change a setting.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // The reflection resolver System.Text.Json would pick anyway, named so the schema exporter can use the
        // options before anything has been serialised with them.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
