using System.Text.Json;

namespace LabelFree.Messages.Tests;

/// <summary>The serializer settings the tests exercise the contracts with.</summary>
internal static class WireFormat
{
    /// <summary>The documented wire format: the contracts' own options (web defaults, enums as strings by attribute).</summary>
    public static readonly JsonSerializerOptions Web = MessageJson.Options;

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
