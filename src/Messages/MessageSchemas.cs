using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace LabelFree.Messages;

/// <summary>
/// The JSON Schema (draft 2020-12) of every message contract as System.Text.Json's <see cref="JsonSchemaExporter"/>
/// derives it from the records with <see cref="MessageJson.Options"/>, for clients in Python or other languages to
/// validate against. docs/schemas holds them (`labelfree schemas --out docs/schemas` rewrites them); a test fails
/// when the committed files drift from the records.
/// </summary>
public static class MessageSchemas
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The contracts that travel as messages, in the order docs/messages.md describes them.</summary>
    public static IReadOnlyList<Type> Contracts { get; } = [typeof(StackAcquired), typeof(StackPredicted), typeof(StackRejected), typeof(EmRegistered)];

    /// <summary>The schema's file name, e.g. "StackAcquired.schema.json".</summary>
    public static string FileName(Type contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return $"{contract.Name}.schema.json";
    }

    /// <summary>The schema of one contract as indented JSON text ending in a newline.</summary>
    public static string Of(Type contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var schema = Node(contract).AsObject();
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = contract.Name,
        };
        foreach (var (name, value) in schema.ToArray())
        {
            schema.Remove(name);
            document[name] = value;
        }

        return document.ToJsonString(Indented) + "\n";
    }

    /// <summary>Writes every contract's schema into <paramref name="directory"/> (created) and returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        return Contracts.Select(contract =>
        {
            var path = Path.Combine(directory, FileName(contract));
            File.WriteAllText(path, Of(contract));
            return path;
        }).ToArray();
    }

    // A message body is never null; nullable properties say so through their annotations.
    private static JsonNode Node(Type type) => MessageJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = DescribeCustomConverters,
    });

    // The exporter cannot see through a custom converter and would allow anything; the ordinal-key dictionaries
    // are JSON objects of their value type (null allowed: the properties are optional).
    private static JsonNode DescribeCustomConverters(JsonSchemaExporterContext context, JsonNode schema)
    {
        var converter = context.PropertyInfo?.CustomConverter?.GetType();
        if (converter is not { IsGenericType: true } || converter.GetGenericTypeDefinition() != typeof(OrdinalKeyDictionaryConverter<>))
        {
            return schema;
        }

        return new JsonObject
        {
            ["type"] = new JsonArray("object", "null"),
            ["additionalProperties"] = Node(converter.GetGenericArguments()[0]),
        };
    }
}
