using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>
/// Reads a JSON object into a dictionary whose keys compare ordinally, whatever the serializer's defaults.
/// MassTransit reads string-keyed dictionaries case-insensitively and throws on "dna" beside "DNA", which fails the
/// message before the worker can say what is wrong with it (an untyped fault, counted by the kill switch); read as
/// written, both keys arrive and the worker rejects the message as InvalidMessage. A key repeated exactly keeps
/// its last value, as System.Text.Json does.
/// </summary>
public sealed class OrdinalKeyDictionaryConverter<TValue> : JsonConverter<IReadOnlyDictionary<string, TValue>>
{
    /// <summary>Reads the object's properties in order, keys compared ordinally.</summary>
    public override IReadOnlyDictionary<string, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object, found {reader.TokenType}.");
        }

        var dictionary = new Dictionary<string, TValue>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return dictionary;
            }

            var key = reader.GetString() ?? throw new JsonException("Expected a property name.");
            reader.Read();
            dictionary[key] = JsonSerializer.Deserialize<TValue>(ref reader, options)!;
        }

        throw new JsonException("The object does not end.");
    }

    /// <summary>Writes the entries as an object's properties, keys as they are.</summary>
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndObject();
    }
}
