using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Worker.Cli;

/// <summary>The JSON style of every verb's --json output and report files: camelCase, indented, enums as strings.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
