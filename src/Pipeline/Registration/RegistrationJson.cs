using System.Text.Json;

namespace LabelFree.Pipeline.Registration;

/// <summary>Reads and writes registration transforms and results as JSON (camelCase, indented).</summary>
public static class RegistrationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string Serialize(RegistrationTransform transform) =>
        JsonSerializer.Serialize(RegistrationTransformDocument.From(transform), Options);

    /// <exception cref="InvalidDataException">The text is not JSON or not a transform; the message names <paramref name="source"/>.</exception>
    public static RegistrationTransform DeserializeTransform(string json, string source)
    {
        RegistrationTransformDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RegistrationTransformDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not a registration transform JSON document ({ex.Message}).", ex);
        }

        return (document ?? throw new InvalidDataException($"{source}: the JSON document is empty (null).")).ToTransform(source);
    }

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a transform.</exception>
    public static RegistrationTransform ReadTransform(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: transform file not found.", path);
        }

        return DeserializeTransform(File.ReadAllText(path), path);
    }

    public static void WriteTransform(RegistrationTransform transform, string path) =>
        File.WriteAllText(path, Serialize(transform));
}
