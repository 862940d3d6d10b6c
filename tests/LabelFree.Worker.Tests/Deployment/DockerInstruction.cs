using System.Text.Json;
using System.Text.RegularExpressions;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>One Dockerfile instruction with its continuation lines joined: keyword, arguments, first line number.</summary>
public sealed partial record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Leading <c>--name=value</c> flags (e.g. <c>--from=build</c>, <c>--mount=...</c>).</summary>
    public IReadOnlyDictionary<string, string> Flags =>
        Words().TakeWhile(word => word.StartsWith("--", StringComparison.Ordinal))
            .Select(word => word[2..].Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);

    /// <summary>The arguments after the flags, split on whitespace (shell form) or read as a JSON array (exec form).</summary>
    public IReadOnlyList<string> Operands
    {
        get
        {
            var words = Words().SkipWhile(word => word.StartsWith("--", StringComparison.Ordinal)).ToArray();
            var rest = string.Join(' ', words);
            return rest.StartsWith('[') ? ExecForm(rest) : words;
        }
    }

    /// <summary>The JSON array of an exec-form instruction (ENTRYPOINT, CMD, HEALTHCHECK's CMD), or null for shell form.</summary>
    public IReadOnlyList<string>? ExecArray
    {
        get
        {
            var start = Arguments.IndexOf('[', StringComparison.Ordinal);
            return start >= 0 && Arguments.TrimEnd().EndsWith(']') ? ExecForm(Arguments[start..]) : null;
        }
    }

    private static string[] ExecForm(string json) => JsonSerializer.Deserialize<string[]>(json)
        ?? throw new FormatException($"not a JSON array: {json}");

    private string[] Words() => Whitespace().Split(Arguments.Trim());

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
