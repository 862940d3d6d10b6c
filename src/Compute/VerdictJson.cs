using System.Text.Json;
using System.Text.Json.Serialization;
using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>The JSON form of verdicts: what a probe prints, what the cache holds, what selftest --json shows.</summary>
public static class VerdictJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new PathConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    public static string Serialize(IReadOnlyList<PathVerdict> verdicts) => JsonSerializer.Serialize(verdicts, Options);

    /// <exception cref="JsonException">Not a list of verdicts.</exception>
    public static IReadOnlyList<PathVerdict> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<PathVerdict>>(json, Options) ?? throw new JsonException("null instead of a list of verdicts");

    private sealed class PathConverter : JsonConverter<ComputePath>
    {
        public override ComputePath Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return ComputePaths.Parse(reader.GetString() ?? "");
            }
            catch (ArgumentException error)
            {
                throw new JsonException(error.Message, error);
            }
        }

        public override void Write(Utf8JsonWriter writer, ComputePath value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ComputePaths.Name(value));
    }
}
