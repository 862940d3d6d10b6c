using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Messages.Tests;

/// <summary>The serializer settings the tests exercise the contracts with.</summary>
internal static class WireFormat
{
    /// <summary>System.Text.Json web defaults (camelCase, case-insensitive) with enums as strings: the documented wire format.</summary>
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The shape of MassTransit 8's default System.Text.Json options (camelCase, case-insensitive,
    /// no enum converter): the contracts' own attributes must still put enums on the wire as strings.
    /// </summary>
    public static readonly JsonSerializerOptions MassTransitLike = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Serialises, deserialises and serialises again; returns the copy and both JSON texts.</summary>
    public static (T Copy, string First, string Second) RoundTrip<T>(T message, JsonSerializerOptions options)
    {
        var first = JsonSerializer.Serialize(message, options);
        var copy = JsonSerializer.Deserialize<T>(first, options) ?? throw new InvalidOperationException("null after deserialisation");
        var second = JsonSerializer.Serialize(copy, options);
        return (copy, first, second);
    }
}
