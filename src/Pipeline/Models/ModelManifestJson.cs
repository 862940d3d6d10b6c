using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Pipeline.Models;

/// <summary>model.json's encoding: camelCase, indented, every required field and non-nullable value enforced on read.</summary>
internal static class ModelManifestJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new VoxelSizeJsonConverter() },
    };

    public static string Serialize(ModelManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    /// <exception cref="JsonException">Malformed JSON, a missing required field, or a value of the wrong kind.</exception>
    public static ModelManifest Deserialize(string json) =>
        JsonSerializer.Deserialize<ModelManifest>(json, Options) ?? throw new JsonException("model.json holds null.");
}
